// The insights map (templates/insights/map.html): csphub's base map (map.mjs) with the analytics layers, each
// GeoJSON from /insights/map/…, redrawn when the controls change. Without JavaScript the same form reloads the page,
// whose table lists the significant cells.
//
// Markup: <div data-module="csphub-insights-map" data-base-url="…" data-streets-url="…" data-layer-urls='{…}'
//              data-overlays='[…]' data-form="map-controls"> ; after each redraw the element carries data-query (the controls' query)
// and data-hotspot-cells (cells drawn), and fires "csphub:layers-ready".
import { createMap, L, STREETS_FROM_ZOOM } from "./map.mjs";

const CELL_COLOURS = {
  "hot-3": "#b2182b",
  "hot-2": "#ef8a62",
  "hot-1": "#fddbc7",
  "cold-3": "#67a9cf",
  "cold-2": "#67a9cf",
  "cold-1": "#67a9cf",
  none: "#e8e8e8",
};
const EMERGING_COLOURS = {
  "new hot spot": "#fdae61",
  "consecutive hot spot": "#f46d43",
  "intensifying hot spot": "#a50026",
  "persistent hot spot": "#d73027",
  "diminishing hot spot": "#fee090",
  "sporadic hot spot": "#fdd0a2",
  "oscillating hot spot": "#c51b7d",
  "historical hot spot": "#bf812d",
};
const DENSITY_COLOURS = ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"];

function element(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function definitionList(pairs) {
  const dl = element("dl");
  for (const [term, value] of pairs) {
    dl.append(element("dt", term), element("dd", value));
  }
  return dl;
}

function fixed(value, digits) {
  return value === null || value === undefined ? "—" : Number(value).toFixed(digits);
}

function pValue(value) {
  return value === null || value === undefined ? "—" : Number(value).toPrecision(2);
}

async function getJson(url, signal) {
  const response = await fetch(url, { credentials: "same-origin", signal, headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) {
    const errors = Object.values(body.errors || {}).flat();
    throw new Error(errors.join(" ") || `${response.status}`);
  }
  return body;
}

function cellPopup(detail) {
  const box = element("div", null, { class: "csphub-map__popup" });
  if (!detail.found) {
    box.append(element("p", detail.message));
    return box;
  }
  const kind = detail.class === "none" ? "Not significant" : detail.class.startsWith("hot") ? "Hot spot" : "Cold spot";
  const pairs = [
    ["Crimes in the cell", detail.count ?? "not shown (partner data)"],
    ["Gi* z", fixed(detail.gi_z, 2)],
    ["p (FDR significant?)", `${pValue(detail.gi_p)} (${detail.fdr_significant ? "yes" : "no"})`],
    ["Reading", kind],
    ["Districts (before 2021)", detail.districts.join(", ") || "—"],
    ["Crosses an old district line", detail.crosses_district_line ? "Yes" : "No"],
  ];
  if (detail.trend) {
    const t = detail.trend;
    pairs.push(["Trend over the months", `${t.category}; Mann-Kendall z ${fixed(t.mann_kendall_z, 2)}, p ${pValue(t.mann_kendall_p)}`]);
    pairs.push(["Months hot / cold", `${t.hot_months} / ${t.cold_months} of ${t.months.length}`]);
  } else if (detail.trend_message) {
    pairs.push(["Trend", detail.trend_message]);
  }
  box.append(definitionList(pairs));
  return box;
}

// An overlay's areas: outlines only, above the analysis layers (the cells inside stay clickable), solid when in
// force and dashed otherwise, each with a popup naming it (a link to its page) when its outline is clicked.
function overlayLayer(overlay, data, pane) {
  return L.geoJSON(data, {
    pane,
    style: (f) => ({
      color: f.properties.kind === "dispersal" ? "#d4351c" : "#4c2c92",
      weight: 4,
      dashArray: f.properties.in_force === false ? "8 6" : null,
      fill: false,
      className: `csphub-overlay csphub-overlay--${overlay.key}`,
    }),
    onEachFeature: (f, layer) =>
      layer.bindPopup(() => {
        const box = element("div", null, { class: "csphub-map__popup" });
        const p = f.properties;
        box.append(p.url ? element("a", p.name, { href: p.url, class: "govuk-link" }) : element("strong", p.name));
        for (const key of overlay.details) {
          if (p[key]) box.append(element("p", p[key]));
        }
        return box;
      }),
  });
}

export async function initInsightsMap(root) {
  const parts = await createMap(root, { preferCanvas: false });
  const { map } = parts;
  const urls = JSON.parse(root.dataset.layerUrls);
  const form = document.getElementById(root.dataset.form);
  const status = document.getElementById("map-status");
  const placesStatus = document.getElementById("case-places-status");
  const table = document.getElementById("significant-cells");
  const exports = document.getElementById("map-exports");

  const groups = {
    hotspots: L.layerGroup().addTo(map),
    emerging: L.layerGroup(),
    kde: L.layerGroup(),
    repeat: L.layerGroup(),
    places: L.layerGroup().addTo(map),
  };
  const { reference } = parts;
  // Overlays other apps register (csphub/insights/overlays.py): non-personal areas, e.g. dispersal and PSPO areas.
  const overlays = JSON.parse(root.dataset.overlays || "[]");
  map.createPane("csphub-overlays").style.zIndex = 450; // above the cells (overlayPane, 400), under the popups
  const overlayGroups = {};
  for (const overlay of overlays) {
    overlayGroups[overlay.key] = L.layerGroup();
    if (overlay.shown) overlayGroups[overlay.key].addTo(map);
  }
  L.control
    .layers(
      null,
      {
        "Gi* hotspot grid": groups.hotspots,
        "Emerging hotspots": groups.emerging,
        "Density (kernel)": groups.kde,
        "Repeat places": groups.repeat,
        "Cases' places": groups.places,
        ...Object.fromEntries(overlays.map((o) => [o.label, overlayGroups[o.key]])),
        "Streets and place names": reference,
      },
      { collapsed: false },
    )
    .addTo(map);
  // Top left, under the zoom buttons: the attribution runs the width of the map's foot.
  L.control.scale({ imperial: false, position: "topleft" }).addTo(map);

  // At street level the cells are paler, so that the streets and their names under them can be read.
  const streetLevel = () => root.classList.toggle("csphub-map--street-level", map.getZoom() >= STREETS_FROM_ZOOM + 2);
  map.on("zoomend", streetLevel);
  streetLevel();

  let query = new URLSearchParams(new FormData(form)).toString();
  let controller = null;

  const cellLayer = (data) =>
    L.geoJSON(data, {
      style: (f) => {
        const p = f.properties;
        if (p.layer === "crossing_hotspot") {
          return { fill: false, color: "#0b0c0c", weight: 2.5, interactive: false, className: "csphub-crossing-hotspot" };
        }
        return {
          fillColor: CELL_COLOURS[p.class] || CELL_COLOURS.none,
          fillOpacity: p.class === "none" ? 0.45 : 0.8,
          color: "#ffffff",
          weight: 0.3,
          className: `csphub-cell csphub-cell--${p.class}`,
        };
      },
      onEachFeature: (f, layer) => {
        if (f.properties.layer !== "hotspot_cell") return;
        layer.on("click", async (event) => {
          const at = new URLSearchParams(query);
          at.set("x", f.properties.x);
          at.set("y", f.properties.y);
          const popup = L.popup({ maxWidth: 320 }).setLatLng(event.latlng).setContent("Loading…").openOn(map);
          try {
            popup.setContent(cellPopup(await getJson(`${urls.cell}?${at}`)));
          } catch (error) {
            popup.setContent(element("p", `The cell could not be read: ${error.message}`));
          }
        });
      },
    });

  const builders = {
    hotspots: cellLayer,
    emerging: (data) =>
      L.geoJSON(data, {
        style: (f) => ({
          fillColor: EMERGING_COLOURS[f.properties.category] || "#4575b4",
          fillOpacity: 0.75,
          weight: 0.3,
          color: "#ffffff",
          className: "csphub-emerging-cell",
        }),
        onEachFeature: (f, layer) =>
          layer.bindPopup(() =>
            definitionList([
              ["Emerging hotspot category", f.properties.category],
              ["Months hot / cold", `${f.properties.hot_months} / ${f.properties.cold_months}`],
              ["Mann-Kendall z (p)", `${fixed(f.properties.trend_z, 2)} (${pValue(f.properties.trend_p)})`],
            ]),
          ),
      }),
    kde: (data) =>
      L.geoJSON(data, {
        interactive: false,
        style: (f) => ({ fillColor: DENSITY_COLOURS[f.properties.level - 1], fillOpacity: 0.6, stroke: false }),
      }),
    repeat: (data) =>
      L.geoJSON(data, {
        pointToLayer: (f, latlng) =>
          L.circleMarker(latlng, {
            radius: 4 + Math.sqrt(f.properties.count),
            color: "#0b0c0c",
            weight: 1,
            fillColor: "#f47738",
            fillOpacity: 0.85,
            className: "csphub-repeat-place",
          }),
        onEachFeature: (f, layer) =>
          layer.bindPopup(() =>
            definitionList([
              ["Place (police.uk location)", f.properties.location],
              ["Crimes", f.properties.count],
              ["Rank", f.properties.rank],
            ]),
          ),
      }),
    places: (data) =>
      L.geoJSON(data, {
        pointToLayer: (f, latlng) =>
          L.circleMarker(latlng, {
            radius: 7,
            color: "#0b0c0c",
            weight: 2,
            fillColor: "#1d70b8",
            fillOpacity: 0.9,
            className: "csphub-case-place",
          }),
        onEachFeature: (f, layer) =>
          layer.bindPopup(() => {
            const box = element("div", null, { class: "csphub-map__popup" });
            const link = element("a", f.properties.label, { href: f.properties.url, class: "govuk-link" });
            box.append(link, element("p", `${f.properties.kind}; in ${f.properties.cases} case(s) you may see`));
            return box;
          }),
      }),
  };

  const report = {
    hotspots: (data) => {
      status.textContent = data.message
        ? data.message
        : `${data.query.charAt(0).toUpperCase()}${data.query.slice(1)}: ${data.events} crimes in the area, ` +
          `${data.significant_cells} significant cells, ${data.hotspots} hotspots.` +
          (data.note ? ` ${data.note}` : "");
      fillTable(data.features);
      root.dataset.hotspotCells = String(data.features.filter((f) => f.properties.layer === "hotspot_cell").length);
    },
    places: (data) => {
      const bits = [`${data.shown} place${data.shown === 1 ? "" : "s"} of cases you may see on the map`];
      if (data.needs_justification) bits.push(`${data.needs_justification} more need a justification: open them from their case`);
      if (data.unlocated) bits.push(`${data.unlocated} without a location`);
      if (data.hidden) bits.push(`${data.hidden} you may not see`);
      placesStatus.textContent = `Cases' places: ${bits.join("; ")}.`;
    },
  };

  function fillTable(features) {
    const body = table.tBodies[0];
    body.replaceChildren();
    const rows = features
      .map((f) => f.properties)
      .filter((p) => p.layer === "hotspot_cell" && p.fdr_significant)
      .sort((a, b) => Math.abs(b.gi_z) - Math.abs(a.gi_z) || a.x - b.x || a.y - b.y)
      .slice(0, 100);
    for (const p of rows) {
      const tr = element("tr", null, { class: "govuk-table__row" });
      const cells = [
        [p.gi_z > 0 ? "Hot" : "Cold", false],
        [p.district_name || "—", false],
        [Math.round(p.x), true],
        [Math.round(p.y), true],
        [p.count ?? "—", true],
        [fixed(p.gi_z, 2), true],
        [pValue(p.gi_p), true],
        [p.crosses_district_line ? "Yes" : "No", false],
      ];
      for (const [value, numeric] of cells) {
        tr.append(element("td", value, { class: `govuk-table__cell${numeric ? " govuk-table__cell--numeric" : ""}` }));
      }
      body.append(tr);
    }
    if (!rows.length) {
      const tr = element("tr", null, { class: "govuk-table__row" });
      tr.append(element("td", "No significant cells in this selection.", { class: "govuk-table__cell", colspan: "8" }));
      body.append(tr);
    }
  }

  let fitted = false;
  async function load(name, signal) {
    const url = name === "places" ? urls.places : `${urls[name]}?${query}`;
    const data = await getJson(url, signal);
    groups[name].clearLayers();
    const layer = builders[name](data);
    groups[name].addLayer(layer);
    if (name === "hotspots" && !fitted && data.features.length) {
      map.fitBounds(layer.getBounds()); // the partnership's area, not the whole county of the base map
      fitted = true;
    }
    if (report[name]) report[name](data);
  }

  async function redraw() {
    if (controller) controller.abort();
    controller = new AbortController();
    const { signal } = controller;
    status.textContent = "Drawing the map…";
    const wanted = Object.keys(groups).filter((name) => name !== "places" && map.hasLayer(groups[name]));
    try {
      await Promise.all(wanted.map((name) => load(name, signal)));
      root.dataset.query = query;
      root.dispatchEvent(new CustomEvent("csphub:layers-ready"));
    } catch (error) {
      if (error.name !== "AbortError") status.textContent = `The map could not be drawn: ${error.message}`;
    }
  }

  function apply() {
    query = new URLSearchParams(new FormData(form)).toString();
    history.replaceState(null, "", `${location.pathname}?${query}`);
    for (const link of exports.querySelectorAll("a[data-format]")) {
      link.href = `${link.pathname}?${query}&format=${link.dataset.format}`;
    }
    return redraw();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    apply();
  });
  form.addEventListener("change", () => apply());
  map.on("overlayadd", (event) => {
    const name = Object.keys(groups).find((key) => groups[key] === event.layer);
    if (name && name !== "places") load(name).catch((error) => (status.textContent = error.message));
  });

  load("places").catch((error) => (placesStatus.textContent = `Cases' places: ${error.message}`));
  const overlaysDrawn = Promise.all(
    overlays.map(async (overlay) => {
      try {
        const data = await getJson(overlay.url);
        overlayGroups[overlay.key].addLayer(overlayLayer(overlay, data, "csphub-overlays"));
        root.dataset[`overlay${overlay.key.charAt(0).toUpperCase()}${overlay.key.slice(1)}`] = String(data.features.length);
      } catch (error) {
        placesStatus.textContent = `${overlay.label}: ${error.message}`;
      }
    }),
  );
  await Promise.all([redraw(), overlaysDrawn]);
  root.csphubMap = { ...parts, redraw, apply };
  root.dataset.mapReady = "true";
  root.dispatchEvent(new CustomEvent("csphub:map-ready"));
  return root.csphubMap;
}

export function initAll(root = document) {
  return Promise.all([...root.querySelectorAll('[data-module="csphub-insights-map"]')].map((el) => initInsightsMap(el)));
}
