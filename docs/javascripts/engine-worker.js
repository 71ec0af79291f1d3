/* The engine's worker (a module worker): Pyodide, clientcreds's wheel and the glue
 * (engine.py), all from this site. Typing never waits for Python to start: the page keeps
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
    const { loadPyodide } = await import(`${config.engine}pyodide.mjs`);
    step("import_pyodide");
    const [pyodide, wheel, glue] = await Promise.all([
      loadPyodide({ indexURL: config.engine, stdout: () => {}, stderr: () => {} }),
      fetched(config.wheel).then((response) => response.arrayBuffer()),
      fetched(config.glue).then((response) => response.text()),
    ]);
    step("start_python");
    pyodide.unpackArchive(wheel, "wheel");
    step("install_wheel");
    pyodide.runPython(glue, { filename: "engine.py" });
    step("import_clientcreds");
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
