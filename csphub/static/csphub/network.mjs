// The intelligence network drawn with Cytoscape.js (canvas: nothing the page's CSP refuses), and its date slider.
//
// Markup (csphub/templates/intelligence/network.html):
//   <div data-module="csphub-network" data-json-url="…/graph.json" data-query="types=…" data-valid="2026-04-11"
//        role="img" aria-label="…">          the drawing; the tables below it say the same in words
//   <div data-network-slider hidden> <input type="range" data-start="2024-12-07"> <output data-network-output>
//   <script type="application/json" id="network-data">   the first graph (the page's own date)
// Moving the slider asks graph.json for the new date (with the page's filters) and redraws the graph, the summary and
// the tables. The element exposes `element.csphubNetwork` (the Cytoscape core) and data-nodes / data-edges counts.
import cytoscape from "../vendor/cytoscape/cytoscape.esm.min.mjs";

// GOV.UK Design System colours, for the communities (in order; more communities reuse them).
const PALETTE = ["#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#b58840", "#d53880", "#28a197", "#912b88", "#505a5f"];
const SHAPES = { person: "ellipse", phone: "round-rectangle", place: "diamond", vehicle: "triangle", line: "hexagon", group: "star" };
const DAY = 86_400_000;

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
  "November", "December"];

// An ISO date (2026-11-07) as GOV.UK writes it: 7 November 2026.
function govukDate(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

function style() {
  return [
    {
      selector: "node",
      style: {
        label: "data(label)",
        "font-size": 9,
        "text-valign": "bottom",
        "text-margin-y": 3,
        color: "#0b0c0c",
        shape: (n) => SHAPES[n.data("type")] || "ellipse",
        "background-color": (n) => (n.data("community") >= 0 ? PALETTE[n.data("community") % PALETTE.length] : "#b1b4b6"),
        width: (n) => 14 + Math.min(26, 2 * n.data("degree")),
        height: (n) => 14 + Math.min(26, 2 * n.data("degree")),
        "border-width": 1,
        "border-color": "#0b0c0c",
      },
    },
    { selector: "edge", style: { width: 1.5, "line-color": "#505a5f", "curve-style": "straight" } },
    { selector: "node:selected", style: { "border-width": 4, "border-color": "#ffdd00" } },
  ];
}

function layout(count) {
  return count <= 400
    ? { name: "cose", animate: false, randomize: false, nodeRepulsion: () => 8000, idealEdgeLength: () => 60, numIter: 1500 }
    : { name: "concentric", animate: false, concentric: (n) => n.degree(), levelWidth: () => 2 };
}

function dateAt(start, days) {
  const [y, m, d] = start.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d) + days * DAY).toISOString().slice(0, 10);
}

function fillTables(root, tables) {
  for (const t of tables) {
    const table = root.querySelector(`[data-network-table="${t.name}"]`);
    if (!table) continue;
    const caption = table.querySelector("caption");
    if (caption && caption.firstChild) caption.firstChild.textContent = t.caption;
    const body = table.querySelector("tbody");
    body.replaceChildren();
    const rows = t.rows.length ? t.rows : [[{ text: t.empty, span: t.heads.length }]];
    for (const row of rows) {
      const tr = document.createElement("tr");
      tr.className = "govuk-table__row";
      for (const c of row) {
        const td = document.createElement("td");
        td.className = "govuk-table__cell";
        if (c.span) td.colSpan = c.span;
        if (c.href) {
          const a = document.createElement("a");
          a.className = "govuk-link";
          a.href = c.href;
          a.textContent = c.text;
          td.append(a);
        } else {
          td.textContent = c.text;
        }
        tr.append(td);
      }
      body.append(tr);
    }
  }
}

function show(element, cy, data) {
  const before = new Map(cy.nodes().map((n) => [n.id(), { ...n.position() }]));
  cy.batch(() => {
    cy.elements().remove();
    cy.add(data.elements);
    for (const n of cy.nodes()) {
      const at = before.get(n.id());
      if (at) n.position(at);
    }
  });
  cy.layout(layout(cy.nodes().length)).run();
  element.dataset.nodes = String(data.nodes);
  element.dataset.edges = String(data.edges);
  element.dataset.valid = data.valid;
}

function init(element) {
  // Cytoscape prepends a <style> element to the page, which the CSP (style-src 'self') refuses: an element with the
  // id it looks for tells it the stylesheet is there. csphub.css gives the container the position it wanted.
  if (!document.getElementById("__________cytoscape_stylesheet")) {
    const marker = document.createElement("meta");
    marker.id = "__________cytoscape_stylesheet";
    document.head.append(marker);
  }
  const first = JSON.parse(document.getElementById("network-data").textContent);
  const cy = cytoscape({ container: element, style: style(), minZoom: 0.1, maxZoom: 4 });
  element.csphubNetwork = cy;
  show(element, cy, first);
  cy.on("tap", "node", (event) => {
    const url = event.target.data("url");
    if (url) window.location.assign(url);
  });
  element.dataset.ready = "true";

  const slider = document.querySelector("[data-network-slider]");
  if (!slider) return;
  const range = slider.querySelector("input[type=range]");
  const output = slider.querySelector("[data-network-output]");
  const summary = document.querySelector("[data-network-summary]");
  const heading = document.querySelector("[data-network-date]");
  const tables = document.querySelector("[data-network-tables]");
  slider.hidden = false;
  let asked = 0;
  let timer = null;
  const load = async () => {
    const valid = dateAt(range.dataset.start, Number(range.value));
    const mine = ++asked;
    element.setAttribute("aria-busy", "true");
    const query = new URLSearchParams(element.dataset.query || "");
    query.set("valid", valid);
    const response = await fetch(`${element.dataset.jsonUrl}?${query}`, { credentials: "same-origin" });
    if (!response.ok || mine !== asked) return;
    const data = await response.json();
    if (mine !== asked) return;
    show(element, cy, data);
    element.removeAttribute("aria-busy");
    summary.textContent = `${data.summary}, as ${data.known === "then" ? "known at the end of that day" : "known now"}.`;
    heading.textContent = govukDate(valid);
    element.setAttribute("aria-label", `A drawing of the network: ${data.summary}. The tables below say the same in words.`);
    fillTables(tables, data.tables);
    const url = new URL(window.location.href);
    for (const key of [...url.searchParams.keys()]) if (key.startsWith("valid_")) url.searchParams.delete(key);
    url.searchParams.set("valid", valid);
    window.history.replaceState(null, "", url);
  };
  range.addEventListener("input", () => {
    output.textContent = govukDate(dateAt(range.dataset.start, Number(range.value)));
    clearTimeout(timer);
    timer = setTimeout(load, 250);
  });
}

export function initAll() {
  for (const element of document.querySelectorAll('[data-module="csphub-network"]')) init(element);
}
