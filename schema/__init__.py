"""The GraphQL schema: Strawberry types, inputs, enums, assembled in schema.build."""
