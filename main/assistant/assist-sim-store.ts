import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AssistSimResult } from '../../shared/contract/assistant';
import { writeFileAtomic } from '../engine/train/checkpoint-file';

/** Where `sonofuse assist-sim` keeps its last result for a dataset and task (owner-only JSON). */
export const assistSimPath = (workspaceDir: string, datasetId: number, task: string): string =>
  join(workspaceDir, 'assistant', `assist-sim-${datasetId}-${Buffer.from(task).toString('hex')}.json`);

export const writeAssistSim = async (workspaceDir: string, result: AssistSimResult): Promise<string> => {
  const path = assistSimPath(workspaceDir, result.datasetId, result.task);
  await writeFileAtomic(path, Buffer.from(JSON.stringify(AssistSimResult.parse(result))));
  return path;
};

/** The stored result, or null when none exists or it does not validate. */
export const readAssistSim = async (
  workspaceDir: string,
  datasetId: number,
  task: string,
): Promise<AssistSimResult | null> => {
  try {
    const parsed = AssistSimResult.safeParse(
      JSON.parse(await readFile(assistSimPath(workspaceDir, datasetId, task), 'utf8')),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
};
