/** A response pattern that gives away a runtime's internals (a regular expression source). */
export interface LeakPattern {
  label: string;
  pattern: string;
}
