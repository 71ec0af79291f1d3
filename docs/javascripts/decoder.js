/* The token decoder: a paste is read by clientcreds itself (javascripts/engine.js), in this
 * browser. The engine is fetched from this site once the page is readable; after it is ready
 * the page makes no request at all, so nothing pasted can leave it. */
(function () {
  "use strict";

  const engine = window.clientcredsEngine;
  const decoder = document.querySelector("[data-cc-decoder]");
  if (!engine || !decoder) return;

  const paste = decoder.querySelector("[data-cc-paste]");
  const output = decoder.querySelector("[data-cc-output]");
  const status = decoder.querySelector("[data-cc-status]");
  let state = "idle";
  let inFlight = false;
  let dirty = false;

  const MESSAGES = {
    loading: "Loading the engine (Python in your browser, from this site)…",
    ready: "Ready. What you paste is read here, in your browser: this page sends nothing anywhere.",
    failed: "The engine could not start: ",
  };

  function setState(next, detail = "") {
    state = next;
    decoder.dataset.ccState = next;
    status.textContent = MESSAGES[next] + detail;
  }

  /* Decode the latest paste; data-cc-busy is "false" once the output shows it. */
  function request() {
    dirty = true;
    decoder.dataset.ccBusy = "true";
    if (state !== "ready" || inFlight) return;
    dirty = false;
    inFlight = true;
    engine.call("decode", paste.value).then(
      (html) => {
        inFlight = false;
        if (dirty) return request();
        output.innerHTML = html; // built by clientcreds.views.display: every value escaped
        decoder.dataset.ccBusy = "false";
      },
      (error) => {
        inFlight = false;
        setState("failed", String(error.message || error));
        decoder.dataset.ccBusy = "false";
      },
    );
  }

  decoder.hidden = false;
  decoder.dataset.ccBusy = "true";
  paste.addEventListener("input", request);
  for (const button of decoder.querySelectorAll("[data-cc-example]")) {
    button.addEventListener("click", () => {
      paste.value = button.dataset.ccExample;
      request();
    });
  }
  setState("loading");
  engine.whenReadable(() =>
    engine
      .start()
      .then(() => engine.call("decode", "")) // imports the decoding before anything is pasted
      .then(
        () => {
          setState("ready");
          request();
        },
        (error) => {
          setState("failed", String(error.message || error));
          decoder.dataset.ccBusy = "false";
        },
      ),
  );
})();
