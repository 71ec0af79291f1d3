/* The in-browser engine: clientcreds itself, run by Pyodide in a worker.
 *
 * Everything comes from this site: Pyodide's files and clientcreds's wheel (built with the
 * site) under assets/engine/, the glue in javascripts/engine.py. Nothing is fetched from
 * anywhere else, and nothing a reader types or pastes is sent anywhere: the worker only
 * answers this page. Nothing heavy is fetched until a page script calls start(): the decoder
 * once the page is readable (see whenReadable), "Your values" then too when values are
 * stored, else when the reader first touches the form.
 */
(function () {
  "use strict";

  const script = document.currentScript;
  const url = (value) => new URL(value, document.baseURI).href;
  const config = {
    engine: url(script.dataset.ccEngine),
    wheel: url(script.dataset.ccWheel),
    glue: url(script.dataset.ccGlue),
  };
  const workerUrl = url(script.dataset.ccWorker);

  let worker = null;
  let started = null;
  let nextId = 1;
  const waiting = new Map();

  /* Start the engine (once); resolves when clientcreds is imported and ready. */
  function start() {
    if (started) return started;
    started = new Promise((resolve, reject) => {
      worker = new Worker(workerUrl, { type: "module", name: "clientcreds-engine" });
      worker.onmessage = (event) => {
        const message = event.data;
        if (message.op === "ready") {
          api.timings = message.timings;
          resolve();
        } else if (message.op === "failed") {
          reject(new Error(message.message));
        } else {
          const call = waiting.get(message.id);
          waiting.delete(message.id);
          if (message.error !== undefined) call.reject(new Error(message.error));
          else call.resolve(message.result);
        }
      };
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(event.message || "the engine's worker could not start"));
      };
      worker.postMessage({ op: "init", ...config });
    });
    return started;
  }

  /* Ask the engine: op is "render" (a page's snippets) or "decode" (a paste). */
  function call(op, text) {
    return start().then(
      () =>
        new Promise((resolve, reject) => {
          const id = nextId++;
          waiting.set(id, { resolve, reject });
          worker.postMessage({ op, id, text });
        }),
    );
  }

  /* Run fn once the page is readable: once what is parsed so far (the whole article: the
   * page scripts come at the end of the body) has been painted, so the engine, which works
   * in its own thread, never holds up what the reader came to read. */
  function whenReadable(fn) {
    requestAnimationFrame(() => setTimeout(fn, 0));
  }

  const api = { start, call, whenReadable, timings: null };
  window.clientcredsEngine = api;
})();
