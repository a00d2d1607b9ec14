"""GraphQL over HTTP: Strawberry's view with our context, caches and the spec's media type."""
