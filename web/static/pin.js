// A map with a pin at its centre, for a place the device did not give (or gave wrong): Leaflet is loaded only
// when someone opens it. The map moves under the pin (dragged, or by the arrow keys); a tap centres it there.
import * as L from "./leaflet.js";

export function pinPicker(element, start, onMove) {
  const at = start.lat === null ? [-6.2117, 106.869] : [start.lat, start.lng];
  const map = L.map(element).setView(at, 16);
  const tiles = document.querySelector('meta[name="warga-tiles"]').content;
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 19, attribution: document.querySelector('meta[name="warga-attribution"]').content })
      .addTo(map);
  }
  const marker = L.circleMarker(at, { radius: 10, color: "#0b5394", fillOpacity: 0.8 }).addTo(map);
  map.on("move", () => marker.setLatLng(map.getCenter()));
  map.on("moveend", () => onMove(map.getCenter().lat, map.getCenter().lng));
  map.on("click", (event) => map.panTo(event.latlng));
  if (start.lat === null) onMove(at[0], at[1]);
  return marker;
}
