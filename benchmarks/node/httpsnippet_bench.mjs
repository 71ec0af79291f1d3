// Time Kong's httpsnippet 3 rendering the four core targets for one HAR request.
// Usage: node httpsnippet_bench.mjs ITERATIONS < request.har.json  → prints JSON timings (µs).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const { HTTPSnippet } = createRequire(import.meta.url)("httpsnippet");
const har = JSON.parse(readFileSync(0, "utf8"));
const iterations = Number(process.argv[2] ?? 2000);
const targets = [
  ["http", "http1.1"],
  ["shell", "curl"],
  ["python", "requests"],
  ["javascript", "fetch"],
];

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
const result = {
  build_and_render_us: timeIt(() => renderAll(new HTTPSnippet(har))),
  render_only_us: timeIt(() => renderAll(built)),
  curl: renderAll(built)[1],
};
console.log(JSON.stringify(result));
