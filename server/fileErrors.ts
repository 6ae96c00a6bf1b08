/**
 * What a file-system error means, in words, for the one-line messages of every
 * front end: `EACCES` is "permission denied", `ENOSPC` "the disk is full". One
 * table, so that the database, the vote journal, a team file and the CLI's last
 * resort all say the same thing of the same failure.
 */

const TEXTS: Record<string, string> = {
  ENOSPC: 'the disk is full', EDQUOT: 'the disk quota is used up', EACCES: 'permission denied', EPERM: 'permission denied',
  EROFS: 'the file system is read-only', EISDIR: 'it is a folder', ENOTDIR: 'a part of the path is a file, not a folder',
  ENOENT: 'no such file or folder', EEXIST: 'a file of that name is in the way', EMFILE: 'too many open files', EIO: 'an I/O error',
};

/** `error`'s code in words; the first line of its message when the code is not one of ours (or there is none). */
export function fileErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code && TEXTS[code]) return TEXTS[code];
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n').find((line) => line.trim() !== '') ?? message).trim();
}
