"""The transparency page: static modules in web/static, Leaflet from node_modules."""
