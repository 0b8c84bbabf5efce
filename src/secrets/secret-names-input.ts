import { z } from 'zod';

/**
 * A list of selected secret names as clients send it: `["NAME"]` (particle-cli, the API
 * docs) or `[{ "name": "NAME" }]` (Particle's blueprints). Both parse to plain names;
 * answers always list plain names (`["NAME"]`).
 */
export const secretNameEntry = z.union([z.string(), z.object({ name: z.string() }).transform((entry) => entry.name)]);

export const secretNameList = z.array(secretNameEntry);
