import type { Page } from 'playwright-core';

/**
 * Answers the app's first-use question "Who is labelling?" (asked once per workspace: a fresh data
 * folder always asks). Call it right after the first `page.goto` of a new workspace.
 */
export const nameLabeller = async (page: Page, name = 'E2E Sonographer'): Promise<void> => {
  const dialog = page.getByRole('dialog', { name: 'Who is labelling?' });
  await dialog.waitFor({ timeout: 60_000 });
  await dialog.getByRole('textbox', { name: 'Your name' }).fill(name);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
};
