/* The in-browser engine: clientcreds itself, run by Pyodide in a worker.
 *
 * Everything comes from this site, under assets/engine/: Pyodide's files, clientcreds's wheel
 * and the engine's snapshot (Pyodide with the wheel and the glue, docs/javascripts/engine.py,
 * already imported: both made with the site). Nothing is fetched from
 * anywhere else, and nothing a reader types or pastes is sent anywhere: the worker only
 * answers this page. Nothing heavy is fetched until a page script calls start(): the decoder
 * at once, "Your values" at once when values are stored, else when the reader first touches
 * the form. "At once" is when the page scripts run, at the end of the body: the article is
 * parsed and painted by then, and the engine works in its own thread, so it never holds up
 * what the reader came to read. (Waiting for a timer or a frame would wait for the page's
 * other scripts too: mermaid's takes a second on a slow machine.)
 */
(function () {
  "use strict";

  const script = document.currentScript;
  const url = (value) => new URL(value, document.baseURI).href;
  const config = {
    engine: url(script.dataset.ccEngine),
    wheel: url(script.dataset.ccWheel),
    snapshot: url(script.dataset.ccSnapshot),
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

  /* A sender that only ever sends what read() gives now: while a call is on its way, the
   * sends asked for meanwhile become one, made when it returns, so show() is given only the
   * answer for the latest text; fail() is told why a call failed. */
  function latest(op, read, show, fail) {
    let inFlight = false;
    let dirty = false;
    return function send() {
      dirty = true;
      if (inFlight) return;
      dirty = false;
      inFlight = true;
      call(op, read()).then(
        (result) => {
          inFlight = false;
          if (dirty) send();
          else show(result);
        },
        (error) => {
          inFlight = false;
          fail(String((error && error.message) || error));
        },
      );
    };
  }

  // What the engine fetches, in words ("20 MB"): the page says so before it starts.
  const api = { start, call, latest, size: script.dataset.ccSize, timings: null };
  window.clientcredsEngine = api;
})();
