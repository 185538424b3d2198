/** What global setup hands to the test workers through the environment. */
export const ENV = {
  serverUrl: 'HRG_TEST_SERVER_URL',
  template: 'HRG_TEST_TEMPLATE',
  embeddedDir: 'HRG_TEST_EMBEDDED_DIR',
} as const;
