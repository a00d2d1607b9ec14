// Leaflet with its styles, for the modules that draw a map: most screens have none, so neither comes with the
// page. The styles are in place (or failed to load) before a map is drawn.
import { h } from "./views.js";

await new Promise((resolve) => {
  if (document.querySelector('link[href="/vendor/leaflet/leaflet.css"]')) return resolve();
  const link = h("link", { rel: "stylesheet", href: "/vendor/leaflet/leaflet.css" });
  link.onload = link.onerror = resolve;
  return document.head.append(link);
});

export * from "/vendor/leaflet/leaflet-src.esm.js";
