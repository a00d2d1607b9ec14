// The map: the server's clusters for the visible box, drawn as circles (no tiles needed to see them).
import * as L from "/vendor/leaflet/leaflet-src.esm.js";

const COLOURS = { RED: "#d93025", YELLOW: "#f2a600", GREEN: "#188038", GREY: "#80868b" };

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
    this.map.on("moveend", () => this.refresh());
  }

  focus(location) {
    this.map.setView([location.lat, location.lng], Math.max(this.map.getZoom(), 16));
  }

  async refresh() {
    const bounds = this.map.getBounds();
    const bbox = { south: bounds.getSouth(), west: bounds.getWest(), north: bounds.getNorth(), east: bounds.getEast() };
    const clusters = await this.fetchClusters(bbox, this.map.getZoom());
    this.layer.clearLayers();
    for (const cluster of clusters) {
      const at = [cluster.center.lat, cluster.center.lng];
      const colour = cluster.report ? COLOURS[cluster.report.badge] : "#1a73e8";
      const marker = L.circleMarker(at, {
        radius: 6 + Math.min(18, Math.sqrt(cluster.count) * 3), color: colour, fillColor: colour, fillOpacity: 0.6,
      });
      marker.bindTooltip(cluster.report ? cluster.report.category.name : String(cluster.count));
      marker.on("click", () => cluster.report ? this.openReport(cluster.report.id)
        : this.map.setView(at, Math.min(this.map.getZoom() + 2, 18)));
      this.layer.addLayer(marker);
    }
    this.map.getContainer().dataset.markers = String(clusters.length);
  }
}
