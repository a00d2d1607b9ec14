"""Open311 GeoReport v2: the HTTP face of services.open311."""
