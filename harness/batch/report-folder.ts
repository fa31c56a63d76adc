/** A candidate's report folder name in a batch's output, the same for `grader batch` and `grader queue results`. */
export const folderFor = (candidate: string) => candidate.normalize('NFC').replace(/[^\p{L}\p{M}\p{N}_.@+-]+/gu, '_');
