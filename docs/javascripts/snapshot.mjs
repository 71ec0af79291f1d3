// Build time only (docs/hooks.py runs it with Node; the site does not serve it): start the
// engine once here and save it started, so a reader's browser skips Python's start and the
// imports.
//
//   node snapshot.mjs PYODIDE_DIR WHEEL GLUE OUT
//
// Pyodide starts, our wheel goes on sys.path as a zip (zipimport), the glue (engine.py) runs,
// importing everything the pages call, and warms up (every path run once, so what Python
// caches on a first call is cached already); then Pyodide's memory is saved, gzip-compressed, to
// OUT. The worker starts Pyodide from that memory (loadPyodide's _loadSnapshot) and only puts
// the wheel back at the same path (ENGINE_WHEEL), for what is imported later. A snapshot
// suits only the Pyodide build that made it (Pyodide checks), which the site serves beside it.
// Nothing of this process's environment enters Python's (Pyodide gives Python its own), and
// hooks.py runs it with an empty environment besides.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import zlib from "node:zlib";

const [pyodideDir, wheel, glue, out] = process.argv.slice(2);
// Emscripten names the program that started Python after this script (its path on the build
// machine, which the site has no business showing); a browser gets "./this.program".
process.argv[1] = "./this.program";
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: `${path.resolve(pyodideDir)}/`,
  _makeSnapshot: true,
  stdout: (line) => process.stderr.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
});
const wheelPath = `/lib/${path.basename(wheel)}`;
pyodide.FS.writeFile(wheelPath, new Uint8Array(fs.readFileSync(wheel)));
pyodide.globals.set("ENGINE_WHEEL", wheelPath);
pyodide.runPython("import sys\nsys.path.insert(0, ENGINE_WHEEL)");
pyodide.runPython(fs.readFileSync(glue, "utf8"), { filename: "engine.py" });
pyodide.runPython("warm_up()");
fs.writeFileSync(out, zlib.gzipSync(withoutZeroPages(pyodide.makeMemorySnapshot()), { level: 9 }));

// About half of the memory is pages of zeros, which the browser would inflate for nothing:
// the file holds the memory's length, the page size, how many pages follow, their numbers,
// then those pages (little-endian; engine-worker.js's `memoryOf` reads it back).
function withoutZeroPages(memory) {
  const PAGE = 4096;
  const kept = [];
  for (let number = 0; number * PAGE < memory.length; number++) {
    if (memory.subarray(number * PAGE, (number + 1) * PAGE).some((byte) => byte !== 0)) {
      kept.push(number);
    }
  }
  const header = new DataView(new ArrayBuffer(12 + 4 * kept.length));
  [memory.length, PAGE, kept.length, ...kept].forEach((n, i) => header.setUint32(4 * i, n, true));
  const pages = kept.map((number) => memory.subarray(number * PAGE, (number + 1) * PAGE));
  return Buffer.concat([new Uint8Array(header.buffer), ...pages]);
}
