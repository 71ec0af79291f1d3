// Kong's httpsnippet 3 for benchmarks/snippets.py, in one of two modes (JSON on stdin, JSON out).
//
// Time: node httpsnippet_bench.mjs ITERATIONS < {"har": …, "targets": [[target, client], …]}
//   → the µs per call of rendering the HAR request in each target, one by one and all together,
//   every loop timed after a warm-up.
// Render: node httpsnippet_bench.mjs --render < {"hars": [har, …], "targets": [[t, c], …]}
//   → {"snippets": [[snippet of har 0 in target 0, …], …]}, each exactly as convert() returns it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const { HTTPSnippet } = createRequire(import.meta.url)("httpsnippet");
const input = JSON.parse(readFileSync(0, "utf8"));

function checked(snippet, target, client) {
  const code = snippet.convert(target, client);
  if (typeof code !== "string") throw new Error(`httpsnippet has no ${target}/${client}`);
  return code;
}

function render({ hars, targets }) {
  const snippets = hars.map((har) => {
    const built = new HTTPSnippet(har);
    return targets.map(([target, client]) => checked(built, target, client));
  });
  return { snippets };
}

function time({ har, targets }, iterations) {
  const renderAll = (snippet) => targets.map(([target, client]) => snippet.convert(target, client));
  const timeIt = (fn) => {
    for (let i = 0; i < Math.min(iterations, 200); i++) fn(); // warm-up for the JIT
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn();
    return Number(process.hrtime.bigint() - start) / 1000 / iterations;
  };
  const built = new HTTPSnippet(har);
  for (const [target, client] of targets) checked(built, target, client);
  for (let i = 0; i < Math.min(iterations, 1000); i++) renderAll(built); // warm every target first
  const perTarget = {};
  for (const [target, client] of targets) {
    perTarget[`${target}/${client}`] = timeIt(() => built.convert(target, client));
  }
  return {
    per_target_us: perTarget,
    all_render_only_us: timeIt(() => renderAll(built)),
    all_build_and_render_us: timeIt(() => renderAll(new HTTPSnippet(har))),
  };
}

const result =
  process.argv[2] === "--render" ? render(input) : time(input, Number(process.argv[2] ?? 2000));
console.log(JSON.stringify(result));
