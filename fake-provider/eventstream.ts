import { crc32 } from 'node:zlib';

/**
 * One message of AWS's binary event stream (`application/vnd.amazon.eventstream`), as Bedrock's
 * ConverseStream sends it: total length, headers length, prelude CRC32, headers (string values),
 * the JSON payload, message CRC32. The AWS SDK checks both checksums.
 */
export function eventStreamMessage(headers: Readonly<Record<string, string>>, payload: unknown): Buffer {
  const headerParts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const valueBytes = Buffer.from(value, 'utf8');
    const header = Buffer.alloc(1 + nameBytes.length + 1 + 2 + valueBytes.length);
    let at = header.writeUInt8(nameBytes.length, 0);
    at += nameBytes.copy(header, at);
    at = header.writeUInt8(7, at); // string
    at = header.writeUInt16BE(valueBytes.length, at);
    valueBytes.copy(header, at);
    headerParts.push(header);
  }
  const headerBytes = Buffer.concat(headerParts);
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const total = 12 + headerBytes.length + body.length + 4;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(headerBytes.length, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  headerBytes.copy(message, 12);
  body.copy(message, 12 + headerBytes.length);
  message.writeUInt32BE(crc32(message.subarray(0, total - 4)), total - 4);
  return message;
}

/** A ConverseStream event: `:event-type` names it, the payload is its member. */
export function converseStreamEvent(type: string, payload: unknown): Buffer {
  return eventStreamMessage(
    { ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' },
    payload,
  );
}
