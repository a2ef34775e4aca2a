/** Diagnoses one log in its own process and prints its peak RSS as JSON (for bench/doctor.ts). */
import { doctorAllEvents } from './doctor.js';

const findings = doctorAllEvents(process.argv[2]);
process.stdout.write(`${JSON.stringify({ findings, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
