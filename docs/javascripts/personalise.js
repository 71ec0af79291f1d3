/* "Your values": every snippet tab on the page follows the form, rendered by clientcreds
 * itself (javascripts/engine.js). What a tab shows is exactly what clientcreds.render()
 * gives for the same request: the engine's text is put in the block as it is (plain, no
 * colours), except that a tab whose text is the build's gets the build's highlighting back.
 *
 * The values stay in this browser's local storage; "Forget my values" removes them.
 * Without JavaScript the form stays hidden and the tabs are the build's.
 */
(function () {
  "use strict";

  const STORAGE_KEY = "clientcreds.values";
  const engine = window.clientcredsEngine;
  const form = document.querySelector("[data-cc-values]");
  if (!engine || !form) return;

  const inputs = [...form.querySelectorAll("input[name], select[name]")];
  const status = form.querySelector("[data-cc-status]");
  const sets = [...document.querySelectorAll(".cc-snippets[data-cc-targets]")];
  const basic = document.querySelector("[data-cc-basic] code");
  let blocks = null; // captured once the engine is ready, after the theme has set up the page
  let state = "idle";
  let renders = 0;
  let keystrokeAt = null;

  const MESSAGES = {
    idle:
      "Type your values and every tab on this page follows. The tabs are rendered by " +
      "clientcreds itself, running in Python in your browser (about " +
      engine.size +
      " from this site, loaded when you start).",
    loading: "Loading the engine (Python in your browser)… until it is ready the tabs show the placeholders.",
    ready: "Every tab on this page shows your values, rendered by clientcreds in your browser.",
    failed: "The engine could not start, so the tabs show the placeholders: ",
  };

  function setState(next, detail = "") {
    state = next;
    form.dataset.ccState = next;
    status.textContent = MESSAGES[next] + detail;
  }

  /* --- values ------------------------------------------------------------------------ */

  function current() {
    const values = {};
    for (const input of inputs) values[input.name] = input.value;
    return values;
  }

  function stored() {
    try {
      const data = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null");
      return data && typeof data === "object" ? data : null;
    } catch {
      return null;
    }
  }

  function fill(values) {
    for (const input of inputs) {
      const value = values[input.name];
      if (typeof value !== "string") continue;
      if (input.tagName === "SELECT" && ![...input.options].some((o) => o.value === value)) continue;
      input.value = value;
    }
  }

  function save() {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...(stored() || {}), ...current() }));
    } catch {
      /* storage refused (private mode, quota): the form still works for this visit */
    }
  }

  function forget() {
    try {
      localStorage.removeItem(STORAGE_KEY);
    } catch {
      /* nothing stored */
    }
    for (const input of inputs) input.value = input.tagName === "SELECT" ? input.options[0].value : "";
    if (state === "ready" || state === "loading") request();
  }

  /* --- the page's blocks --------------------------------------------------------------- */

  /* The leaves of a set (a client's tab: a block holding no tabs of its own), in page order,
   * which is the order of data-cc-targets. */
  function capture() {
    return sets.map((set) => {
      const leaves = [...set.querySelectorAll(".tabbed-block")].filter(
        (block) => !block.querySelector(".tabbed-set"),
      );
      const names = set.dataset.ccTargets.split(" ");
      const entries = new Map();
      names.forEach((name, index) => {
        const block = leaves[index];
        const code = block && block.querySelector(".highlight code");
        if (code) entries.set(name, built(block, code));
      });
      return { set, request: set.dataset.ccRequest || "", entries };
    });
  }

  /* What the build made of a block: its highlighted HTML and text, and the same without the
   * newline the highlighter adds at the end (a snippet may not end with one). */
  function built(block, code) {
    const trimmed = code.cloneNode(true);
    const walker = document.createTreeWalker(trimmed, NodeFilter.SHOW_TEXT);
    let last = null;
    while (walker.nextNode()) last = walker.currentNode;
    if (last && last.data.endsWith("\n")) last.data = last.data.slice(0, -1);
    return {
      block,
      code,
      text: code.textContent,
      html: code.innerHTML,
      trimmedText: trimmed.textContent,
      trimmedHtml: trimmed.innerHTML,
      recipe: block.querySelector(":scope > .cc-recipe"),
      shown: code.textContent,
    };
  }

  function showCode(entry, text) {
    if (entry.shown === text) return;
    if (text === entry.text) entry.code.innerHTML = entry.html;
    else if (text === entry.trimmedText) entry.code.innerHTML = entry.trimmedHtml;
    else entry.code.textContent = text;
    entry.shown = text;
  }

  function showRefusal(entry, message) {
    let note = entry.block.querySelector(":scope > .cc-refusal");
    if (message === null) {
      entry.block.classList.remove("cc-refused");
      if (note) note.remove();
      return;
    }
    if (!note) {
      note = document.createElement("p");
      note.className = "cc-refusal";
      entry.block.prepend(note);
    }
    note.textContent = message;
    entry.block.classList.add("cc-refused");
  }

  /* In env mode, the recipe says which variable to set before running the snippet. */
  function showEnvNote(entry, variable) {
    if (!entry.recipe) return;
    let note = entry.block.querySelector(":scope > .cc-recipe--env");
    if (!variable) {
      if (note) note.remove();
      return;
    }
    if (!note) {
      note = document.createElement("p");
      note.className = "cc-recipe cc-recipe--env";
      entry.recipe.after(note);
    }
    note.textContent =
      `Before you run it, set ${variable} in its environment: ` +
      "the snippet reads it when it runs, and sends nothing without it.";
  }

  function apply(result) {
    blocks ??= capture();
    blocks.forEach((item, index) => {
      const rendered = result.sets[index];
      item.set.classList.toggle("cc-stale", !rendered);
      if (!rendered) return;
      for (const [name, entry] of item.entries) {
        const refusal = rendered.refusals[name];
        showRefusal(entry, refusal === undefined ? null : refusal);
        if (refusal === undefined) showCode(entry, rendered.snippets[name]);
        showEnvNote(entry, rendered.reads);
      }
    });
    if (basic) {
      basic.closest("[data-cc-basic]").classList.toggle("cc-stale", result.basic === null);
      if (result.basic !== null && basic.textContent !== result.basic + "\n") {
        basic.textContent = result.basic + "\n";
      }
    }
    showErrors(result.errors);
  }

  function showErrors(errors) {
    const general = [];
    for (const [field, message] of Object.entries(errors)) {
      if (!form.querySelector(`[data-cc-error="${CSS.escape(field)}"]`) || field === "") {
        general.push(message);
      }
    }
    for (const slot of form.querySelectorAll("[data-cc-error]")) {
      const field = slot.dataset.ccError;
      slot.textContent = field === "" ? general.join(" ") : errors[field] || "";
      const input = form.querySelector(`[name="${CSS.escape(field)}"]`);
      if (input) input.toggleAttribute("aria-invalid", Boolean(errors[field]));
    }
    const stale = Object.keys(errors).length > 0;
    form.classList.toggle("cc-values--invalid", stale);
  }

  /* --- rendering ------------------------------------------------------------------------ */

  const send = engine.latest(
    "render",
    () => JSON.stringify({ values: current(), sets: (blocks ??= capture()).map((i) => i.request) }),
    (text) => {
      apply(JSON.parse(text));
      done();
    },
    (why) => {
      setState("failed", why);
      form.dataset.ccBusy = "false";
    },
  );

  /* Render the current values; data-cc-busy is "false" once the page shows the latest. */
  function request() {
    form.dataset.ccBusy = "true";
    if (state === "ready") send();
  }

  function done() {
    renders += 1;
    form.dataset.ccRenders = String(renders);
    const now = performance.now();
    if (renders === 1) form.dataset.ccFirstRenderMs = now.toFixed(1);
    if (keystrokeAt !== null) form.dataset.ccUpdateMs = (now - keystrokeAt).toFixed(1);
    keystrokeAt = null;
    form.dataset.ccBusy = "false";
  }

  function begin() {
    if (state !== "idle") return;
    setState("loading");
    form.dataset.ccBusy = "true";
    form.dataset.ccEngineStartMs = performance.now().toFixed(1);
    engine.start().then(
      () => {
        setState("ready");
        request();
      },
      (error) => {
        setState("failed", String(error.message || error));
        form.dataset.ccBusy = "false";
      },
    );
  }

  /* --- wiring ------------------------------------------------------------------------- */

  const saved = stored();
  if (saved) fill(saved);
  form.hidden = false;
  form.dataset.ccBusy = "false";
  setState("idle");
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("focusin", begin);
  form.addEventListener("input", (event) => {
    keystrokeAt = event.timeStamp;
    save();
    begin();
    request();
  });
  form.querySelector("[data-cc-forget]").addEventListener("click", forget);
  // Stored values are shown as soon as the engine is ready, which starts now (see engine.js).
  if (saved) begin();
})();
