// Choices kept in the URL's query string (?city=32.71&view=banjir), so that a link opens the page as it was.
export function inUrl(name) {
  return new URL(location.href).searchParams.get(name) ?? "";
}

// replaceState, not a new history entry: the back button leaves the page as before, the hash keeps its report.
export function keepInUrl(name, value) {
  const url = new URL(location.href);
  if (value) url.searchParams.set(name, value);
  else url.searchParams.delete(name);
  if (url.href !== location.href) history.replaceState(history.state, "", url);
}
