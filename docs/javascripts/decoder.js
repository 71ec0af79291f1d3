/* The token decoder: a paste is read by clientcreds itself (javascripts/engine.js), in this
 * browser. The engine is fetched from this site when the page opens; after it is ready the
 * page makes no request at all, so nothing pasted can leave it. */
(function () {
  "use strict";

  const engine = window.clientcredsEngine;
  const decoder = document.querySelector("[data-cc-decoder]");
  if (!engine || !decoder) return;

  const paste = decoder.querySelector("[data-cc-paste]");
  const output = decoder.querySelector("[data-cc-output]");
  const status = decoder.querySelector("[data-cc-status]");
  let state = "idle";

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

  const send = engine.latest(
    "decode",
    () => paste.value,
    (html) => {
      output.innerHTML = html; // built by clientcreds.views.display: every value escaped
      decoder.dataset.ccBusy = "false";
    },
    (why) => {
      setState("failed", why);
      decoder.dataset.ccBusy = "false";
    },
  );

  /* Decode the latest paste; data-cc-busy is "false" once the output shows it. */
  function request() {
    decoder.dataset.ccBusy = "true";
    if (state === "ready") send();
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
  engine.start().then(
    () => {
      setState("ready");
      request();
    },
    (error) => {
      setState("failed", String(error.message || error));
      decoder.dataset.ccBusy = "false";
    },
  );
})();
