import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random key-shaped test secret, marked TEST so nobody mistakes it for a real one. Built at run time. */
export function fakeKey(bodyLength = 32): string {
  let body = '';
  for (const b of randomBytes(bodyLength)) body += ALPHABET[b % ALPHABET.length];
  return `sk_TEST_${body}`;
}
