import type Docker from 'dockerode';
import type { VolumeSpec } from '../runtime/sandbox-runtime.ts';

/**
 * A volume in Docker's terms. A tmpfs one is the local driver mounting tmpfs with a size:
 * a build that writes without end hits ENOSPC at the cap instead of filling the host's disk.
 */
export function volumeOptions(spec: VolumeSpec): Docker.VolumeCreateOptions {
  const { tmpfs } = spec;
  return {
    Name: spec.name,
    Driver: 'local',
    Labels: spec.labels,
    ...(tmpfs
      ? { DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: `size=${tmpfs.sizeMb}m,uid=${tmpfs.uid},gid=${tmpfs.gid},mode=0755,nosuid,nodev` } }
      : {}),
  };
}
