/** A one-line description of the machine a benchmark ran on (CPU model, cores, Node version). */
import os from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  node: string;
  platform: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() || 'unknown CPU',
    cores: cpus.length,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
  };
}

export function describeMachine(m: MachineInfo = machineInfo()): string {
  return `${m.cpuModel}, ${m.cores} core${m.cores === 1 ? '' : 's'}, Node ${m.node}, ${m.platform}`;
}
