/* stpgraph web UI, version 1.0: live search on the home page and the SPARQL query page.
   Plain JavaScript, no external assets. */
"use strict";

(function () {
  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const BASE = document.body.dataset.base || "https://w3id.org/stpgraph/";
  function localHref(iri) {
    if (iri.startsWith(BASE)) {
      const rest = iri.slice(BASE.length);
      if (/^(id|def|graph)\//.test(rest)) return "/" + rest;
    }
    return iri;
  }

  // --- live search on the home page ------------------------------------------------------
  const search = document.getElementById("search");
  const live = document.getElementById("live-results");
  if (search && live) {
    let timer = null, seq = 0;
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const q = search.value.trim();
        const mine = ++seq;
        if (q.length < 2) { live.replaceChildren(); return; }
        const response = await fetch("/search.json?q=" + encodeURIComponent(q), {headers: {Accept: "application/json"}});
        if (!response.ok || mine !== seq) return;
        const data = await response.json();
        live.replaceChildren(...data.results.slice(0, 15).map((hit) => {
          const li = el("li");
          li.append(el("a", {href: hit.url}, hit.label));
          if (hit.type) li.append(el("span", {class: "type"}, hit.type));
          return li;
        }));
      }, 150);
    });
  }

  // --- the query page --------------------------------------------------------------------
  const form = document.getElementById("query-form");
  if (!form) return;
  const editor = document.getElementById("editor");
  const status = document.getElementById("query-status");
  const table = document.getElementById("results");
  const graphOut = document.getElementById("graph-results");
  const picker = document.getElementById("saved");
  const savedLink = document.getElementById("saved-link");
  const csvLink = document.getElementById("download-csv");

  editor.addEventListener("keydown", (event) => {
    if (event.key === "Tab") {
      event.preventDefault();
      const start = editor.selectionStart;
      editor.setRangeText("  ", start, editor.selectionEnd, "end");
    } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  picker.addEventListener("change", async () => {
    const name = picker.value;
    if (!name) return;
    const response = await fetch("/queries/" + encodeURIComponent(name) + ".rq");
    if (!response.ok) { status.textContent = "could not load " + name; return; }
    editor.value = await response.text();
    savedLink.href = "/queries/" + encodeURIComponent(name);
    savedLink.textContent = "this question's page, with its parameters →";
  });

  function cell(term) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      td.append(el("a", {href: localHref(term.value), title: term.value}, term.value.startsWith(BASE) ? term.value.slice(BASE.length) : term.value));
    } else {
      td.textContent = term.value;
      const note = term["xml:lang"] || (term.datatype ? term.datatype.split(/[#/]/).pop() : "");
      if (note) td.append(" ", el("span", {class: "dt"}, note));
    }
    return td;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const query = editor.value;
    status.textContent = "running…";
    table.replaceChildren();
    graphOut.hidden = true;
    csvLink.hidden = true;
    const started = performance.now();
    let response;
    try {
      response = await fetch("/sparql", {
        method: "POST",
        headers: {"Content-Type": "application/x-www-form-urlencoded",
                  Accept: "application/sparql-results+json, text/turtle;q=0.9"},
        body: new URLSearchParams({query}),
      });
    } catch (err) {
      status.textContent = "the server could not be reached";
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok) {
      let message = response.statusText;
      try { message = (await response.json()).message; } catch (e) { /* not JSON */ }
      status.textContent = "";
      status.append(el("span", {class: "error", id: "query-error"}, message));
      return;
    }
    if (type.includes("turtle")) {
      graphOut.textContent = await response.text();
      graphOut.hidden = false;
      status.textContent = "graph in " + seconds + " s";
      return;
    }
    const data = await response.json();
    if ("boolean" in data) {
      status.textContent = "answer: " + (data.boolean ? "yes" : "no") + " (" + seconds + " s)";
      return;
    }
    const vars = data.head.vars;
    const head = el("tr");
    vars.forEach((v) => head.append(el("th", {}, v)));
    const thead = el("thead"); thead.append(head);
    const tbody = el("tbody");
    for (const row of data.results.bindings) {
      const tr = el("tr");
      vars.forEach((v) => tr.append(cell(row[v])));
      tbody.append(tr);
    }
    table.append(thead, tbody);
    const n = data.results.bindings.length;
    status.textContent = n + " row" + (n === 1 ? "" : "s") + " in " + seconds + " s";
    csvLink.href = "/sparql?" + new URLSearchParams({query, format: "csv"});
    csvLink.hidden = false;
  });

  // a link to /query?query=… (or /sparql?query=… from a browser) runs the query at once
  if (new URLSearchParams(window.location.search).has("query")) form.requestSubmit();
})();
