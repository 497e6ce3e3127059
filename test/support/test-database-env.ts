/** Environment variables through which the global setup tells the test files where the template is. */
export const TEST_ADMIN_URL_VAR = 'EMECANO_TEST_ADMIN_URL';
export const TEST_TEMPLATE_VAR = 'EMECANO_TEST_TEMPLATE';

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
