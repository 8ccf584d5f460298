import { Signus } from './signus';

const client = new Signus({ apiKey: 'sk_TEST_FAKE_lJYZTEi7TdkpCaGKUK85ukyrXJwd' });
const headers = { Authorization: `Bearer sk_TEST_FAKE_cecjwixrcTtYIBwf4Lh5zS0P3Ogd` };
export { client, headers };
