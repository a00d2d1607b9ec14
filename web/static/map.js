// The map: the server's clusters for the visible box, drawn as circles (no tiles needed to see them).
import * as L from "./leaflet.js";
import { h } from "./views.js";

const COLOURS = { RED: "#d93025", YELLOW: "#f2a600", GREEN: "#188038", GREY: "#80868b" };
// The page's own moves jump: Leaflet ignores a view asked for while it animates a zoom (a city picked just
// after the map zoomed to a report, or to all the cities).
const JUMP = { animate: false };

export class ClusterMap {
  constructor(element, fetchClusters, openReport) {
    this.fetchClusters = fetchClusters;
    this.map = L.map(element, { preferCanvas: true }).setView([-6.25, 106.9], 12);
    const tiles = document.querySelector('meta[name="warga-tiles"]').content;
    if (tiles) {
      const attribution = document.querySelector('meta[name="warga-attribution"]').content;
      L.tileLayer(tiles, { maxZoom: 19, attribution }).addTo(this.map);
    }
    this.layer = L.layerGroup().addTo(this.map);
    this.openReport = openReport;
    this.generation = 0;
    this.clustersShown = true;
    this.map.on("moveend", () => this.refresh());
  }

  // The flood view draws its own layer instead of the reports' clusters.
  showClusters(visible) {
    this.clustersShown = visible;
    this.generation++; // an answer on its way is for the view before
    if (visible) {
      this.layer.addTo(this.map);
      this.refresh();
    } else this.layer.remove();
  }

  // A city (the centroids of its kelurahan), or every city: the box around the points, a little wider since
  // the outer kelurahan reach past their centroids; one point, around it.
  fit(points) {
    if (points.length > 1) {
      const box = L.latLngBounds(points.map((p) => [p.lat, p.lng])).pad(0.1);
      this.map.fitBounds(box, { ...JUMP, padding: [16, 16], maxZoom: 15 });
    } else if (points.length === 1) this.map.setView([points[0].lat, points[0].lng], 13, JUMP);
  }

  focus(location, zoom = 16) {
    this.map.setView([location.lat, location.lng], Math.max(this.map.getZoom(), zoom), JUMP);
  }

  async refresh() {
    if (!this.clustersShown) return;
    const bounds = this.map.getBounds();
    const bbox = { south: bounds.getSouth(), west: bounds.getWest(), north: bounds.getNorth(), east: bounds.getEast() };
    const generation = ++this.generation;
    let clusters;
    try {
      clusters = await this.fetchClusters(bbox, this.map.getZoom());
    } catch {
      return; // offline: the markers shown stay until the next move or live update
    }
    if (generation !== this.generation) return; // the view or the filter changed meanwhile: a newer answer follows
    this.layer.clearLayers();
    for (const cluster of clusters) {
      const at = [cluster.center.lat, cluster.center.lng];
      // A report nobody handles (outside the partner cities) is grey, whatever its status.
      const report = cluster.report;
      const colour = report ? COLOURS[report.handled ? report.badge : "GREY"] : "#1a73e8";
      const marker = L.circleMarker(at, {
        radius: 6 + Math.min(18, Math.sqrt(cluster.count) * 3), color: colour, fillColor: colour, fillOpacity: 0.6,
      });
      // An element, not a string, which Leaflet would parse as HTML: a city's catalog names its categories.
      marker.bindTooltip(h("span", {}, report ? report.category.name : String(cluster.count)));
      marker.on("click", () => report ? this.openReport(report.id)
        : this.map.setView(at, Math.min(this.map.getZoom() + 2, 18)));
      this.layer.addLayer(marker);
    }
    const shown = this.map.getContainer().dataset;
    shown.markers = String(clusters.length);
    shown.bbox = [bbox.south, bbox.west, bbox.north, bbox.east].join(","); // what the markers cover
  }
}
