/** The volume that holds a dependency cache, kept between gradings. */
export function cacheVolumeName(id: string): string {
  return `takehome-grader-cache-${id}`;
}
