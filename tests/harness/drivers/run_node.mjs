// Run many standalone JavaScript snippets in one Node process, each as its own ES module.
// Reads jobs (code, cwd, env, file) as JSON on stdin; writes one result per job to argv[2].
// With a file name, the snippet is saved under it, imported from it and removed after.
// A job is done when it prints (console.log), throws, rejects, or after a timeout.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const jobs = JSON.parse(readFileSync(0, "utf8"));
const baseEnv = { ...process.env };
const results = [];
let current = null;

const finish = (state) => state && state.done();
console.log = (...args) => {
  if (!current) return;
  current.out.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
  finish(current);
};
const fail = (error) => {
  if (!current) return;
  current.error = String((error && error.stack) || error);
  finish(current);
};
process.on("unhandledRejection", fail);
process.on("uncaughtException", fail);

for (const [index, job] of jobs.entries()) {
  process.chdir(job.cwd);
  for (const key of Object.keys(process.env)) if (!(key in baseEnv)) delete process.env[key];
  Object.assign(process.env, job.env);
  const state = { out: [], error: null };
  const finished = new Promise((resolve) => (state.done = resolve));
  current = state;
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve((state.error ??= "timed out after 10 s")), 10000);
  });
  try {
    if (job.file) {
      const path = join(job.cwd, job.file);
      writeFileSync(path, job.code);
      // The query makes each module URL unique, so a repeated snippet is evaluated again.
      await import(`${pathToFileURL(path).href}?job=${index}`);
    } else {
      const source = `${job.code}\n// job ${index}\n`;
      await import(`data:text/javascript;charset=utf-8,${encodeURIComponent(source)}`);
    }
    await Promise.race([finished, timeout]);
  } catch (error) {
    state.error = String((error && error.stack) || error);
  }
  if (job.file) rmSync(join(job.cwd, job.file), { force: true });
  clearTimeout(timer);
  current = null;
  results.push({ stdout: state.out.join("\n"), error: state.error });
}
writeFileSync(process.argv[2], JSON.stringify(results));
process.exit(0);
