"""Live timelines: the outbox relay, the broker, the hub of subscribers, the WebSocket protocol."""
