"""Thin GraphQL resolvers: read arguments, call a service, shape the answer."""
