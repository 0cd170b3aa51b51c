// Copies the JavaScript and images of GOV.UK Frontend, MoJ Frontend, Leaflet and Cytoscape.js into csphub/static/vendor/.
// Brand assets (the GOV.UK crown and crest, logotypes, favicons) are deliberately not copied: csphub is not a
// gov.uk service. Where the compiled CSS still names one (for components csphub does not use), a blank SVG stands
// in, so that Django's manifest storage finds every file the CSS refers to.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const out = "csphub/static/vendor";
const images = join(out, "assets", "images");
mkdirSync(images, { recursive: true });

const govuk = "node_modules/govuk-frontend/dist/govuk";
const moj = "node_modules/@ministryofjustice/frontend/moj";
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(moj, "moj-frontend.min.js"), join(out, "moj-frontend.min.js"));

// Leaflet (the maps): the ES module, and the images its stylesheet (compiled into csphub.css) refers to.
const leaflet = "node_modules/leaflet/dist";
mkdirSync(join(out, "leaflet"), { recursive: true });
cpSync(join(leaflet, "leaflet-src.esm.js"), join(out, "leaflet", "leaflet-src.esm.js"));
// Its source map too: the module names it, and collectstatic's manifest storage refuses a reference to a missing file.
cpSync(join(leaflet, "leaflet-src.esm.js.map"), join(out, "leaflet", "leaflet-src.esm.js.map"));
cpSync(join(leaflet, "images"), join(out, "images"), { recursive: true });

// Vega, Vega-Lite and vega-embed (the dashboards' charts, csphub/static/csphub/charts.mjs): their UMD builds, loaded
// as classic scripts; vega-embed runs Vega with its CSP-safe expression interpreter (no eval, no new Function).
mkdirSync(join(out, "vega"), { recursive: true });
cpSync("node_modules/vega/build/vega.min.js", join(out, "vega", "vega.min.js"));
// Their source maps too: Django's manifest storage (collectstatic) refuses a script naming a missing map.
for (const [pkg, name] of [["vega-lite", "vega-lite.min.js"], ["vega-embed", "vega-embed.min.js"]]) {
  cpSync(`node_modules/${pkg}/build/${name}`, join(out, "vega", name));
  cpSync(`node_modules/${pkg}/build/${name}.map`, join(out, "vega", `${name}.map`));
}

// Cytoscape.js (the intelligence network): its ES module build.
mkdirSync(join(out, "cytoscape"), { recursive: true });
cpSync("node_modules/cytoscape/dist/cytoscape.esm.min.mjs", join(out, "cytoscape", "cytoscape.esm.min.mjs"));

const brand = /crown|crest|govuk-icon|opengraph|logotype|favicon|^moj-/;
for (const dir of [join(govuk, "assets", "images"), join(moj, "assets", "images")]) {
  for (const name of readdirSync(dir)) {
    if (!brand.test(name)) cpSync(join(dir, name), join(images, name));
  }
}

const css = readFileSync(join(out, "csphub.css"), "utf8");
const referenced = new Set([...css.matchAll(/\/static\/vendor\/assets\/images\/([\w.-]+)/g)].map((m) => m[1]));
for (const name of referenced) {
  const target = join(images, name);
  if (existsSync(target)) continue;
  if (!name.endsWith(".svg") || !brand.test(name)) {
    throw new Error(`the stylesheet refers to ${name}, which no package provides`);
  }
  writeFileSync(target, '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n');
}
console.log(`front-end assets written to ${out}`);
