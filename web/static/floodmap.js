// The flood view's layer on the page's map: river basins as light polygons named where they lie, drains as
// lines, the last day's flood reports as dots, gauges and pump stations as markers that carry their level or
// pumps as text as well as colour. Shapes go through SVG, not the page's canvas, so each is an element with
// its class (the tests count them) and the markers are buttons a keyboard reaches.
import * as L from "./leaflet.js";
import { gaugeFacts, gaugeTitle, isDown, stationFacts, stationTitle } from "./floodfacts.js";
import { t } from "./i18n.js";
import { h } from "./views.js";

const BASIN = { className: "flood-basin", color: "#1a73e8", weight: 1, fillColor: "#1a73e8", fillOpacity: 0.07,
  interactive: false };
const DRAIN = { className: "flood-drain", color: "#0b5394", weight: 3, opacity: 0.8 };
const REPORT = { className: "flood-report", radius: 7, color: "#ffffff", weight: 2, fillColor: "#1a73e8",
  fillOpacity: 0.9 };

function icon(asset) {
  const gauge = asset.kind !== "PUMP_STATION";
  const level = asset.alertLevel ?? "NONE";
  // The level's number, or the pumps running of those installed: readable without the colour.
  const text = gauge ? (asset.alertLevel ? level.slice(-1) : "–") : `${asset.pumpsRunning ?? 0}/${asset.pumpsTotal}`;
  const kind = gauge ? `gauge-marker alert-${level}` : `station-marker asset-${asset.status}`;
  return L.divIcon({ className: `flood-marker ${kind}${isDown(asset) ? " is-down" : ""}`,
    html: h("span", { "aria-hidden": "true" }, text), iconSize: gauge ? [26, 26] : [40, 24] });
}

function popup(asset, zone) {
  const gauge = asset.kind !== "PUMP_STATION";
  return h("div", { class: "flood-popup", "data-code": asset.code },
    h("strong", {}, asset.name), h("p", { class: "small kind" }, t(`k_${asset.kind}`)),
    gauge ? gaugeFacts(asset, zone) : stationFacts(asset, zone));
}

export class FloodLayer {
  // `pageMap`: the page's ClusterMap, whose Leaflet map this draws on and whose fit() frames the city.
  constructor(pageMap, openReport) {
    this.pageMap = pageMap;
    this.openReport = openReport;
    this.renderer = L.svg();
    this.group = L.layerGroup();
    this.reports = L.layerGroup();
    this.markers = new Map(); // asset id → marker
    this.zone = undefined;
  }

  show(visible) {
    if (visible) this.group.addTo(this.pageMap.map);
    else this.group.remove();
  }

  draw({ shapes, gauges, stations, reports }, zone) {
    this.zone = zone;
    this.group.clearLayers();
    this.markers.clear();
    for (const asset of shapes) this.group.addLayer(this.shape(asset));
    this.group.addLayer(this.reports);
    this.drawReports(reports);
    for (const asset of [...gauges, ...stations]) this.group.addLayer(this.marker(asset));
  }

  shape(asset) {
    const basin = asset.kind === "RIVER_BASIN";
    const layer = L.geoJSON(JSON.parse(asset.geometry), { ...(basin ? BASIN : DRAIN), renderer: this.renderer });
    if (!basin) {
      layer.bindTooltip(h("span", {}, asset.name), { sticky: true });
      return layer;
    }
    // Named at its representative point, which lies inside it (a centroid may not).
    const label = L.tooltip({ permanent: true, direction: "center", className: "basin-label", interactive: false })
      .setLatLng([asset.location.lat, asset.location.lng]).setContent(h("span", {}, asset.name));
    return L.layerGroup([layer, label]);
  }

  drawReports(reports) {
    this.reports.clearLayers();
    for (const report of reports) {
      const dot = L.circleMarker([report.location.lat, report.location.lng], { ...REPORT, renderer: this.renderer });
      dot.bindTooltip(h("span", {}, `${report.category.name} · ${report.area?.name ?? ""}`));
      dot.on("click", () => this.openReport(report.id));
      this.reports.addLayer(dot);
    }
  }

  marker(asset) {
    const marker = L.marker([asset.location.lat, asset.location.lng], { icon: icon(asset), riseOnHover: true });
    marker.asset = asset;
    marker.options.title = this.title(asset);
    marker.bindPopup((layer) => popup(layer.asset, this.zone), { maxWidth: 260 });
    // The element outlives setIcon (a div icon reuses its div), so the code set once stays.
    marker.on("add", () => { marker.getElement().dataset.code = asset.code; });
    this.markers.set(asset.id, marker);
    return marker;
  }

  title(asset) {
    return asset.kind === "PUMP_STATION" ? stationTitle(asset) : gaugeTitle(asset);
  }

  // A live reading: the marker's colour, text and title follow, and an open popup too.
  update(asset) {
    const marker = this.markers.get(asset.id);
    if (!marker) return;
    marker.asset = asset;
    marker.options.title = this.title(asset);
    marker.setIcon(icon(asset));
    marker.getElement()?.setAttribute("title", marker.options.title);
    if (marker.isPopupOpen()) marker.getPopup().update();
  }

  // From a list: the map shows the asset and opens its popup.
  open(assetId) {
    const marker = this.markers.get(assetId);
    if (!marker) return;
    this.pageMap.focus(marker.asset.location, 14); // near enough to tell, with its river around it
    marker.openPopup();
    this.pageMap.map.getContainer().scrollIntoView({ block: "nearest" });
  }

  // The box around everything drawn (a city's waterways); nothing drawn, the city's own box stays.
  fit() {
    const points = [];
    this.group.eachLayer(function corners(layer) {
      if (layer.getBounds) {
        const box = layer.getBounds();
        if (box.isValid()) points.push(box.getSouthWest(), box.getNorthEast());
      } else if (layer.getLatLng) points.push(layer.getLatLng());
      else layer.eachLayer?.(corners);
    });
    this.pageMap.fit(points);
  }
}
