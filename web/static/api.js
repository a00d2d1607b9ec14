// GraphQL over HTTP (the spec's response media type) and graphql-transport-ws for live updates.

export async function gql(query, variables = {}) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join("; "));
  return body.data;
}

// One socket for the page; subscriptions are re-sent after every reconnect, and `onState`
// hears "live" or "offline" so the page can say so (and reload what it may have missed).
export class Live {
  constructor(onState) {
    this.onState = onState;
    this.subscriptions = new Map();
    this.nextId = 1;
    this.delay = 500;
    this.connect();
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    this.socket = new WebSocket(`${scheme}://${location.host}/graphql`, "graphql-transport-ws");
    this.socket.onopen = () => this.socket.send(JSON.stringify({ type: "connection_init", payload: {} }));
    this.socket.onmessage = (message) => this.receive(JSON.parse(message.data));
    this.socket.onclose = () => {
      this.ready = false;
      this.onState("offline");
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 15000);
    };
  }

  receive(message) {
    if (message.type === "connection_ack") {
      this.ready = true;
      this.delay = 500;
      for (const [id, subscription] of this.subscriptions) this.send(id, subscription);
      this.onState("live");
    } else if (message.type === "ping") {
      this.socket.send(JSON.stringify({ type: "pong" }));
    } else if (message.type === "next") {
      this.subscriptions.get(message.id)?.onData(message.payload.data);
    }
  }

  send(id, { query, variables }) {
    this.socket.send(JSON.stringify({ id, type: "subscribe", payload: { query, variables } }));
  }

  subscribe(query, variables, onData) {
    const id = String(this.nextId++);
    this.subscriptions.set(id, { query, variables, onData });
    if (this.ready) this.send(id, { query, variables });
    return () => {
      this.subscriptions.delete(id);
      if (this.ready) this.socket.send(JSON.stringify({ id, type: "complete" }));
    };
  }
}
