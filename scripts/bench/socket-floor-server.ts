/**
 * The fan-out benchmark's floor: a process that does nothing for its subscribers but what the
 * gateway's shared subscriptions cannot avoid. It speaks just enough graphql-transport-ws for the
 * bench's subscribers (ack the connection, remember the subscription) and, told by its parent to
 * send an event, writes it to every subscriber the gateway's way (`socketDelivery`: one frame,
 * one write). No GraphQL, no database, no authentication: what is left is the sockets.
 *
 * Parent → child (IPC): `{ send: payloadJson }`. Child → parent: `{ port }` once listening, and
 * `{ written, cpuMs }` after each event (cpuMs: this process's CPU since it started).
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { socketDelivery } from '../../gateway/websocket.js';
import type { DirectDelivery } from '../../gateway/shared-subscriptions.js';

const subscribers: DirectDelivery[] = [];
const server = http.createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server, handleProtocols: (protocols) => (protocols.has('graphql-transport-ws') ? 'graphql-transport-ws' : false) });

wss.on('connection', (socket, request) => {
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { type?: string; id?: string };
    if (message.type === 'connection_init') socket.send(JSON.stringify({ type: 'connection_ack' }));
    else if (message.type === 'subscribe' && message.id) subscribers.push(socketDelivery(socket, request.socket as Duplex, message.id));
    else if (message.type === 'complete') socket.close(1000);
  });
});

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

process.on('message', (message: { send?: string }) => {
  if (typeof message.send !== 'string') return;
  let written = 0;
  for (const subscriber of subscribers) if (subscriber.write(message.send)) written += 1;
  process.send!({ written, cpuMs: cpuMs() });
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
});
