// Maps with Leaflet on csphub's own base map: the shipped district boundaries (csphub/static/csphub/geo/), so that a
// map works without a tile server (the demo, the tests, machines without internet). A tile layer is added on top
// only when the page names one (data-tiles / data-tiles-attribution, from CSPHUB_MAP_TILES).
//
// Markup (see csphub/templates/maps/map.html):
//   <div data-module="csphub-map" data-base-url="…/base.geojson" [data-streets-url="…/streets.geojson"]
//        role="region" aria-label="Map of …"
//        [data-pin="lat,lon"] [data-pin-label="…"]
//        [data-pin-inputs="id_latitude id_longitude"]>   an editable pin: a click or a drag moves it and fills the inputs
//   </div>
// Other scripts reach a map through `element.csphubMap` ({ map, L, base, setPin }) once the "csphub:map-ready"
// event has fired on the element.
import * as L from "../vendor/leaflet/leaflet-src.esm.js";

export { L };

// The old districts as thin dashed lines, the 2021 unitary councils as a heavier outline (GOV.UK colours).
const STYLES = {
  "district-2013": { color: "#505a5f", weight: 1.5, dashArray: "4 4", fill: true, fillColor: "#f3f2f1", fillOpacity: 0.6 },
  "unitary-2021": { color: "#0b0c0c", weight: 3, fill: false },
};

const cache = new Map();

export function loadBase(url) {
  if (!cache.has(url)) {
    cache.set(
      url,
      fetch(url, { credentials: "same-origin" }).then((r) => {
        if (!r.ok) throw new Error(`base map: ${r.status} for ${url}`);
        return r.json();
      }),
    );
  }
  return cache.get(url);
}

// A pin drawn in CSS and SVG (no image: Django's hashed static names defeat Leaflet's icon-path detection).
const PIN_SVG =
  '<svg width="28" height="40" viewBox="0 0 28 40" aria-hidden="true" focusable="false">' +
  '<path d="M14 0C6.3 0 0 6.3 0 14c0 10.5 14 26 14 26s14-15.5 14-26C28 6.3 21.7 0 14 0z" fill="#d4351c" ' +
  'stroke="#0b0c0c" stroke-width="1.5"/><circle cx="14" cy="14" r="5" fill="#ffffff"/></svg>';

export function pinIcon() {
  return L.divIcon({ className: "csphub-map__pin", html: PIN_SVG, iconSize: [28, 40], iconAnchor: [14, 40] });
}

export const STREETS_FROM_ZOOM = 12;
const PLACES_FROM_ZOOM = 11;
const STREET_NAMES_FROM_ZOOM = 16;
const STREET_NAMES_AT_MOST = 80;

// Streets and place names, drawn into `reference` (a layer group on the map) in their own pane above overlays
// (they are the reference), never in the way of a click.
export function addStreets(map, url, reference) {
  if (!map.getPane("streets")) {
    map.createPane("streets").style.zIndex = 430;
    map.getPane("streets").style.pointerEvents = "none";
  }
  // The base map's streets and place names (shipped: csphub/static/csphub/geo/streets.geojson), at town zoom:
  // street lines and points from 12, names of the streets in view from 16 (at most 80), ward names from 11.
  return fetch(url, { credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : null))
    .then((data) => {
      if (!data) return;
      const of = (layer) => data.features.filter((f) => f.properties.layer === layer);
      const lines = L.geoJSON(
        { type: "FeatureCollection", features: of("street") },
        {
          pane: "streets",
          interactive: false,
          style: (f) => ({ color: "#6f777b", weight: f.properties.major ? 3 : 2, opacity: 0.9 }),
        },
      );
      const named = [];
      for (const f of of("street_points")) {
        f.geometry.coordinates.forEach(([lon, lat], k) => named.push([L.latLng(lat, lon), f.properties.names[k]]));
      }
      for (const f of of("street")) {
        const [lon, lat] = f.geometry.coordinates[Math.floor(f.geometry.coordinates.length / 2)];
        named.push([L.latLng(lat, lon), f.properties.name]);
      }
      const dots = L.layerGroup(
        named.map(([latlng]) =>
          L.circleMarker(latlng, { pane: "streets", interactive: false, radius: 2, weight: 0, fillColor: "#6f777b", fillOpacity: 0.9 }),
        ),
      );
      const label = (latlng, text, className) => {
        const marker = L.marker(latlng, {
          pane: "streets",
          interactive: false,
          keyboard: false,
          icon: L.divIcon({ className, html: "", iconSize: null }),
        });
        marker.on("add", (e) => (e.target.getElement().textContent = text));
        return marker;
      };
      const wards = L.layerGroup(of("place").map((f) => label([f.geometry.coordinates[1], f.geometry.coordinates[0]], f.properties.name, "csphub-map__place")));
      const streetNames = L.layerGroup();
      if (data.attribution) map.attributionControl.addAttribution(data.attribution);
      const showAtZoom = () => {
        const zoom = map.getZoom();
        for (const [layer, from] of [[lines, STREETS_FROM_ZOOM], [dots, STREETS_FROM_ZOOM], [wards, PLACES_FROM_ZOOM], [streetNames, STREET_NAMES_FROM_ZOOM]]) {
          if (zoom >= from) reference.addLayer(layer);
          else reference.removeLayer(layer);
        }
        streetNames.clearLayers();
        if (zoom >= STREET_NAMES_FROM_ZOOM) {
          const bounds = map.getBounds();
          named.filter(([latlng]) => bounds.contains(latlng)).slice(0, STREET_NAMES_AT_MOST).forEach(([latlng, name]) => streetNames.addLayer(label(latlng, name, "csphub-map__street")));
        }
      };
      map.on("zoomend moveend", showAtZoom);
      showAtZoom();
    })
    .catch(() => {});

}

export async function createMap(element, options = {}) {
  const map = L.map(element, { zoomSnap: 0.25, maxZoom: 19, minZoom: 7, ...options });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  const tiles = element.dataset.tiles;
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 19, attribution: element.dataset.tilesAttribution || "" }).addTo(map);
  }
  const data = await loadBase(element.dataset.baseUrl);
  const base = L.geoJSON(data, {
    style: (feature) => STYLES[feature.properties.layer] || {},
    interactive: false,
  }).addTo(map);
  if (data.attribution) map.attributionControl.addAttribution(data.attribution);
  const labels = L.layerGroup(
    data.features
      .filter((f) => f.properties.layer === "district-2013")
      .map((f) =>
        L.marker(L.geoJSON(f).getBounds().getCenter(), {
          icon: L.divIcon({ className: "csphub-map__label", html: f.properties.name, iconSize: null }),
          interactive: false,
          keyboard: false,
        }),
      ),
  ).addTo(map);
  map.fitBounds(base.getBounds());
  const reference = L.layerGroup().addTo(map);
  if (element.dataset.streetsUrl) addStreets(map, element.dataset.streetsUrl, reference);
  return { map, L, base, labels, reference };
}

function parsePoint(text) {
  if (!text) return null;
  const [lat, lon] = text.split(",").map(Number);
  return Number.isFinite(lat) && Number.isFinite(lon) ? L.latLng(lat, lon) : null;
}

function round(value) {
  return Math.round(value * 1e6) / 1e6;
}

export async function initMap(element) {
  const parts = await createMap(element);
  const { map } = parts;
  const label = element.dataset.pinLabel || "The place";
  const inputs = (element.dataset.pinInputs || "").split(/\s+/).filter(Boolean).map((id) => document.getElementById(id));
  const editable = inputs.length === 2 && inputs.every(Boolean);
  let pin = null;

  const setPin = (latlng, { zoom = true, fill = true } = {}) => {
    if (!pin) {
      pin = L.marker(latlng, { icon: pinIcon(), draggable: editable, title: label, alt: label, keyboard: editable });
      pin.addTo(map);
      if (editable) pin.on("dragend", () => setPin(pin.getLatLng(), { zoom: false }));
    } else {
      pin.setLatLng(latlng);
    }
    if (editable && fill) {
      inputs[0].value = round(latlng.lat);
      inputs[1].value = round(latlng.lng);
      element.dispatchEvent(new CustomEvent("csphub:pin-moved", { detail: { lat: latlng.lat, lon: latlng.lng } }));
    }
    // A shown place at town scale (its district line and name in view); an editable pin closer, to place it.
    if (zoom) map.setView(latlng, Math.max(map.getZoom(), editable ? 16 : 11.5));
  };

  const start = parsePoint(element.dataset.pin) || (editable ? parsePoint(`${inputs[0].value},${inputs[1].value}`) : null);
  if (start) setPin(start, { fill: false });
  if (editable) map.on("click", (event) => setPin(event.latlng, { zoom: false }));

  element.csphubMap = { ...parts, setPin: (lat, lon, opts) => setPin(L.latLng(lat, lon), opts) };
  element.dataset.mapReady = "true";
  element.dispatchEvent(new CustomEvent("csphub:map-ready"));
  return element.csphubMap;
}

export function initAll(root = document) {
  return Promise.all([...root.querySelectorAll('[data-module="csphub-map"]')].map((el) => initMap(el)));
}
