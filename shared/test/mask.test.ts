import { describe, expect, it } from 'vitest';
import { maskSecret, MASK_BULLETS, redact } from '../src/index.js';

const KEY = 'sk_FAKE_test_0123456789abcdefWXYZ';

describe('maskSecret', () => {
  it('keeps the prefix and the last 4 characters only', () => {
    expect(maskSecret(KEY)).toBe(`sk_${MASK_BULLETS}WXYZ`);
  });

  it('does not reveal the length of the key', () => {
    const long = `${KEY}${'q'.repeat(40)}WXYZ`;
    expect(maskSecret(long)).toHaveLength(maskSecret(KEY).length);
  });

  it('shows no tail for short input and no invented prefix', () => {
    expect(maskSecret('sk_short')).toBe(`sk_${MASK_BULLETS}`);
    expect(maskSecret('not-a-key-but-long-enough-1234')).toBe(`${MASK_BULLETS}1234`);
  });
});

describe('redact', () => {
  it('masks key-shaped text inside logs, errors and JSON', () => {
    const text = `error: {"authorization":"Bearer ${KEY}"} at line 3`;
    const out = redact(text);
    expect(out).not.toContain(KEY);
    expect(out).toContain(`Bearer sk_${MASK_BULLETS}WXYZ`);
  });

  it('masks known secrets even where they are not key-shaped or are glued to other text', () => {
    const odd = 'oddsecret-without-prefix-77';
    const out = redact(`x${odd}y and ${odd}`, [odd]);
    expect(out).not.toContain(odd);
  });

  it('leaves words that only contain sk_ alone', () => {
    const text = 'task_queue_processing_worker_pool and disk_usage_reporting_interval_ms';
    expect(redact(text)).toBe(text);
  });

  it('masks every occurrence and is idempotent', () => {
    const text = `${KEY} ${KEY}`;
    const once = redact(text);
    expect(once.match(/sk_•/g)).toHaveLength(2);
    expect(redact(once)).toBe(once);
  });
});
