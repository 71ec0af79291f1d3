/* The engine's worker (a module worker): Pyodide, its snapshot and clientcreds's wheel, all
 * from this site. Typing never waits for Python to start: the page keeps
 * its own thread. */

let ready = null;
let engine = null;

self.onmessage = async (event) => {
  const message = event.data;
  if (message.op === "init") {
    ready ??= init(message);
    return;
  }
  if (!(await ready)) return;
  try {
    self.postMessage({ id: message.id, result: engine[message.op](message.text) });
  } catch (error) {
    self.postMessage({ id: message.id, error: String((error && error.message) || error) });
  }
};

async function fetched(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${response.status} for ${url}`);
  return response;
}

/* Pyodide's memory from the snapshot: gzip-compressed, unpacked while it arrives, holding
 * only the pages that are not all zeros (see snapshot.mjs for the layout). */
async function memoryOf(url) {
  const response = await fetched(url);
  const inflated = response.body.pipeThrough(new DecompressionStream("gzip"));
  const packed = new Uint8Array(await new Response(inflated).arrayBuffer());
  const header = new DataView(packed.buffer);
  const [length, page, count] = [0, 4, 8].map((at) => header.getUint32(at, true));
  const memory = new Uint8Array(length);
  let at = 12 + 4 * count;
  for (let i = 0; i < count; i++, at += page) {
    memory.set(packed.subarray(at, at + page), header.getUint32(12 + 4 * i, true) * page);
  }
  return memory;
}

/* Resolves true when ready; says why it failed (and resolves false) otherwise. */
async function init(config) {
  const timings = {}; // milliseconds each step took, for benchmarks/site.py
  let last = performance.now();
  const step = (name) => {
    const now = performance.now();
    timings[name] = Math.round(now - last);
    last = now;
  };
  try {
    // Python starts from the memory saved at build time (docs/javascripts/snapshot.mjs), with
    // clientcreds and the glue (engine.py) imported; our wheel goes back where it was then.
    const snapshot = memoryOf(config.snapshot);
    const wheel = fetched(config.wheel).then((response) => response.arrayBuffer());
    const { loadPyodide } = await import(`${config.engine}pyodide.mjs`);
    step("import_pyodide");
    const pyodide = await loadPyodide({
      indexURL: config.engine,
      _loadSnapshot: snapshot,
      stdout: () => {},
      stderr: () => {},
    });
    step("start_python");
    pyodide.FS.writeFile(pyodide.globals.get("ENGINE_WHEEL"), new Uint8Array(await wheel));
    step("mount_wheel");
    const personalise = pyodide.globals.get("personalise");
    const readPaste = pyodide.globals.get("read_paste");
    engine = { render: (text) => personalise(text), decode: (text) => readPaste(text) };
    self.postMessage({ op: "ready", timings });
    return true;
  } catch (error) {
    self.postMessage({ op: "failed", message: String((error && error.message) || error) });
    return false;
  }
}
