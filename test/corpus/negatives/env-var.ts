const apiKey = process.env.SIGNUS_API_KEY;
const header = `Bearer ${apiKey}`;
