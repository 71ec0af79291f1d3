// Time Kong's httpsnippet 3 rendering one HAR request in each given target, one by one and all
// together. Usage: node httpsnippet_bench.mjs ITERATIONS < {"har": …, "targets": [[target,
// client], …]}  → prints JSON timings (µs per call), every loop timed after a warm-up.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const { HTTPSnippet } = createRequire(import.meta.url)("httpsnippet");
const { har, targets } = JSON.parse(readFileSync(0, "utf8"));
const iterations = Number(process.argv[2] ?? 2000);

function renderAll(snippet) {
  return targets.map(([target, client]) => snippet.convert(target, client));
}

function timeIt(fn) {
  for (let i = 0; i < Math.min(iterations, 200); i++) fn(); // warm-up for the JIT
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1000 / iterations;
}

const built = new HTTPSnippet(har);
for (const [target, client] of targets) {
  if (typeof built.convert(target, client) !== "string") {
    throw new Error(`httpsnippet has no ${target}/${client}`);
  }
}
for (let i = 0; i < Math.min(iterations, 1000); i++) renderAll(built); // warm every target first
const perTarget = {};
for (const [target, client] of targets) {
  perTarget[`${target}/${client}`] = timeIt(() => built.convert(target, client));
}
const result = {
  per_target_us: perTarget,
  all_render_only_us: timeIt(() => renderAll(built)),
  all_build_and_render_us: timeIt(() => renderAll(new HTTPSnippet(har))),
};
console.log(JSON.stringify(result));
