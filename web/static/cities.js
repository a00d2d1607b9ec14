// Many cities: the ones Warga knows (partners first, as the server lists them), the picked one kept in the
// URL's query string (?city=32.71) so that a link opens the same city, and what the filters and the map
// need of it: its catalog, its kecamatan, and where it lies.
import { gql } from "./api.js";
import { t } from "./i18n.js";
import { inUrl, keepInUrl } from "./url.js";

const CITIES = "{ cities { id code name partner timezone area { id centroid { lat lng } } } }";
// A city's kecamatan come with their kelurahan's centroids: the box around those is the city on the map.
// For all cities, every kecamatan without its kelurahan: the box around the kecamatan is enough then.
const CATALOG = `query($city: ID, $area: ID, $one: Boolean!) { categories(cityId: $city) { code name }
  areas(parentId: $area, level: DISTRICT) { id name centroid { lat lng } children @include(if: $one) {
    centroid { lat lng } } } }`;
const PARAM = "city";

export async function loadCities() {
  return (await gql(CITIES)).cities;
}

// "Kota Bogor — belum bermitra": a city whose reports nobody handles says so where it is picked.
export function cityLabel(city) {
  return city.partner ? city.name : `${city.name} — ${t("notPartner")}`;
}

export function cityCodeInUrl() {
  return inUrl(PARAM);
}

export function keepCityInUrl(code) {
  keepInUrl(PARAM, code);
}

// `city` null: all of them (the national default categories, every kecamatan, every city in view).
export async function catalogOf(city, cities) {
  const data = await gql(CATALOG, { city: city?.id ?? null, area: city?.area.id ?? null, one: Boolean(city) });
  // The cities' own centroids too: a city imported without its kecamatan still has one.
  const points = [...(city ? [city] : cities).map((c) => c.area.centroid),
    ...data.areas.flatMap((district) => [district.centroid, ...(district.children ?? []).map((v) => v.centroid)])];
  return { categories: data.categories, districts: data.areas, points: points.filter(Boolean) };
}
