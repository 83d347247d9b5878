// The report's tables and search. Charts are Plotly figures built in Python; this script
// only hands them to Plotly, and fills the tables from the JSON payload.
(function () {
  "use strict";
  const P = JSON.parse(document.getElementById("payload").textContent);
  const L = P.labels;
  const MOST_ROWS = 300;
  const MOST_MATCHES = 30;

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
  }
  function esc(value) {
    return String(value).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  }
  function day(offset) {
    const date = new Date(P.origin + "T00:00:00Z");
    date.setUTCDate(date.getUTCDate() + offset);
    return date.toISOString().slice(0, 10);
  }
  // classes[i] is the class of column i ("num", "nowrap" or "").
  function table(columns, rows, classes) {
    const cls = (i) => (classes && classes[i] ? ` class="${classes[i]}"` : "");
    const head = columns.map((c, i) => `<th${cls(i)}>${esc(c)}</th>`).join("");
    const body = rows.map((row) => "<tr>" + row.map((v, i) => `<td${cls(i)}>${v}</td>`).join("") + "</tr>").join("");
    return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
  }
  function memberLabel(index) {
    const m = P.members[index];
    return m[1] ? `${esc(m[0])} ${esc(m[1])}` : esc(m[0]);
  }

  // -- charts -------------------------------------------------------------------------
  // Each chart is drawn when it comes near the screen, so the report opens at once however
  // many teams and weeks its heat map holds.
  function draw(div) {
    const figure = JSON.parse(document.getElementById("chart-" + div.dataset.chart).textContent);
    Plotly.newPlot(div, figure.data, figure.layout || {}, { responsive: true, displaylogo: false })
      .then(() => div.classList.add("drawn"));
  }
  const charts = document.querySelectorAll(".chart");
  if ("IntersectionObserver" in window) {
    const watch = new IntersectionObserver((entries) => entries.forEach((entry) => {
      if (entry.isIntersecting) { watch.unobserve(entry.target); draw(entry.target); }
    }), { rootMargin: "300px" });
    charts.forEach((div) => watch.observe(div));
  } else {
    charts.forEach(draw);
  }

  // -- unmet rows, shared by the drill-down and the filterable table --------------------
  const FIELDS = {
    requirement: (u) => P.requirementIds[u[1]],
    category: (u) => P.members[u[0]][4],
    unit: (u) => P.members[u[0]][2],
    region: (u) => P.members[u[0]][6],
    period: (u) => u[4],
  };
  function unmetRow(u) {
    const m = P.members[u[0]];
    return [memberLabel(u[0]), esc(m[2]), esc(P.requirements[u[1]]), esc(u[2]) + "<br>" + esc(u[3]),
      u[5], u[6], esc(P.causes[u[7]] || u[7]), esc(u[8])];
  }
  const UNMET_COLUMNS = [L.member, L.unit, L.requirement, L.window, L.shortfall, L.weight, L.cause, L.reason];
  const UNMET_CLASSES = ["nowrap", "", "", "nowrap", "num", "num", "", ""];

  // -- coverage drill-down ------------------------------------------------------------
  document.querySelectorAll("td.cell").forEach((cell) => {
    cell.addEventListener("click", () => {
      const filter = JSON.parse(cell.dataset.filter);
      const block = cell.closest(".coverage-block");
      block.querySelectorAll("td.picked").forEach((c) => c.classList.remove("picked"));
      cell.classList.add("picked");
      const rows = P.unmet.filter((u) => Object.keys(filter).every((k) => FIELDS[k](u) === filter[k]));
      const where = Object.entries(filter).map(([k, v]) =>
        k === "requirement" ? P.requirements[P.requirementIds.indexOf(v)] : (v === "all" ? L.all_years : v)).join(" · ");
      const drill = block.querySelector(".drill");
      drill.classList.remove("muted");
      drill.innerHTML = `<h4>${esc(fmt(L.shortHere, { where }))} (${rows.length})</h4>` +
        (rows.length ? table(UNMET_COLUMNS, rows.slice(0, MOST_ROWS).map(unmetRow), UNMET_CLASSES) : "");
    });
  });

  // -- the filterable table of unmet windows -----------------------------------------
  const unmetTable = document.getElementById("unmet-table");
  if (unmetTable) {
    const text = document.getElementById("unmet-filter");
    const cause = document.getElementById("unmet-cause");
    const requirement = document.getElementById("unmet-requirement");
    Object.entries(P.causes).forEach(([code, label]) => cause.add(new Option(label, code)));
    P.requirementIds.forEach((id, i) => requirement.add(new Option(P.requirements[i], id)));
    const haystack = P.unmet.map((u) => (P.members[u[0]].slice(0, 3).join(" ") + " " + u[8]).toLowerCase());
    const redraw = () => {
      const needle = text.value.trim().toLowerCase();
      const rows = P.unmet.filter((u, i) => (!needle || haystack[i].includes(needle)) &&
        (!cause.value || u[7] === cause.value) && (!requirement.value || P.requirementIds[u[1]] === requirement.value));
      document.getElementById("unmet-count").textContent =
        fmt(L.shown, { shown: Math.min(rows.length, MOST_ROWS), total: rows.length });
      unmetTable.innerHTML = table(UNMET_COLUMNS, rows.slice(0, MOST_ROWS).map(unmetRow), UNMET_CLASSES);
    };
    [text, cause, requirement].forEach((control) => control.addEventListener("input", redraw));
    redraw();
  }

  // -- member ledger --------------------------------------------------------------------
  const search = document.getElementById("member-search");
  const matches = document.getElementById("member-matches");
  const ledger = document.getElementById("member-ledger");
  const names = P.members.map((m) => (m[0] + " " + m[1]).toLowerCase());
  function showMember(index) {
    const m = P.members[index];
    const byYear = {};
    P.memberSessions[index].forEach((s) => {
      const session = P.sessions[s];
      (byYear[session[2].slice(0, 4)] = byYear[session[2].slice(0, 4)] || []).push(session);
    });
    let html = `<div class="ledger-head"><b>${memberLabel(index)}</b> · ${esc(L.unit)} ${esc(m[2])} · ` +
      `${esc(L.team)} ${esc(m[3])} · ${esc(L.category)} ${esc(m[4])} · ${esc(L.tier)} ${esc(m[5])}</div>`;
    html += `<h3>${esc(L.sessions_of)}</h3>`;
    // One row a year: the sessions as chips (away ones tinted), and the year's class hours.
    const rows = Object.keys(byYear).sort().map((year) => {
      const sessions = byYear[year].sort((a, b) => (a[2] < b[2] ? -1 : 1));
      const hours = sessions.reduce((sum, s) => sum + s[4], 0);
      const chips = sessions.map((s) => `<span class="${s[5] ? "away" : ""}" title="${esc(s[1])} ${esc(s[2])} – ${esc(s[3])}">` +
        `${esc(s[0])} · ${esc(s[1])}</span>`).join("");
      return [`<b>${year}</b>`, sessions.length, hours, `<div class="chips">${chips}</div>`];
    });
    html += rows.length ? table([L.year, L.sessions_of, L.hours, L.session], rows, ["", "num", "num", ""]) : `<p>–</p>`;
    html += `<h3>${esc(L.requirements_of)}</h3>`;
    const windows = P.windows[index].map((w) => {
      const short = w[3] >= 0 ? P.unmet[w[3]] : null;
      return [esc(P.requirements[w[0]]), esc(day(w[1]) + " – " + day(w[2])),
        short ? `<span class="short">${esc(fmt(L.short, { n: short[5] }))}</span>` : `<span class="met">${esc(L.met)}</span>`,
        short ? esc(short[8]) : ""];
    });
    html += windows.length ? table([L.requirement, L.window, L.status, L.reason], windows, ["", "nowrap", "nowrap", ""]) : `<p>–</p>`;
    ledger.innerHTML = html;
  }
  search.addEventListener("input", () => {
    const needle = search.value.trim().toLowerCase();
    ledger.innerHTML = "";
    if (!needle) { matches.innerHTML = ""; return; }
    const found = [];
    for (let i = 0; i < names.length; i++) if (names[i].includes(needle)) found.push(i);
    if (!found.length) { matches.innerHTML = `<p class="muted">${esc(L.no_match)}</p>`; return; }
    matches.innerHTML = found.slice(0, MOST_MATCHES).map((i) =>
      `<button type="button" data-member="${i}">${memberLabel(i)}</button>`).join("") +
      (found.length > MOST_MATCHES ? ` <span class="muted">${esc(fmt(L.more, { n: found.length - MOST_MATCHES }))}</span>` : "");
    if (found.length === 1) showMember(found[0]);
  });
  matches.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-member]");
    if (button) showMember(Number(button.dataset.member));
  });

  // -- changes against the previous plan ---------------------------------------------
  const KINDS = ["added", "removed", "moved", "left"];
  function tally(keyOf) {
    const counts = new Map();
    P.changes.forEach((c) => keyOf(c).forEach(([key, kind]) => {
      if (!counts.has(key)) counts.set(key, { added: 0, removed: 0, moved: 0, left: 0 });
      counts.get(key)[kind] += 1;
    }));
    return [...counts.entries()].sort();
  }
  const memberIndex = new Map(P.members.map((m, i) => [m[0], i]));
  const CHANGE_TABLES = {
    "changes-members": {
      columns: [L.member, ...KINDS.map((k) => L["change." + k])],
      rows: tally((c) => [[c[0], c[2]]]).map(([id, n]) =>
        [memberIndex.has(id) ? memberLabel(memberIndex.get(id)) : esc(id), ...KINDS.map((k) => n[k])]),
    },
    "changes-sessions": {
      // A move counts at both ends: out of the session left, into the session taken.
      columns: [L.session, ...KINDS.map((k) => L["change." + k])],
      rows: tally((c) => (c[2] === "moved" ? [[c[3], "moved"], [c[4], "moved"]] : [[c[1], c[2]]]))
        .map(([id, n]) => [esc(id), ...KINDS.map((k) => n[k])]),
    },
  };
  document.querySelectorAll(".change-filter").forEach((input) => {
    const spec = CHANGE_TABLES[input.dataset.target];
    const target = document.getElementById(input.dataset.target);
    const redraw = () => {
      const needle = input.value.trim().toLowerCase();
      const rows = spec.rows.filter((r) => !needle || String(r[0]).toLowerCase().includes(needle));
      target.innerHTML = table(spec.columns, rows.slice(0, MOST_ROWS), ["", "num", "num", "num", "num"]);
    };
    input.addEventListener("input", redraw);
    redraw();
  });
})();
