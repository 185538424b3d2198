/**
 * The District and Ward types, declared apart from their fields: a district lists its wards and a
 * ward names its district, so each file that implements one needs the other's ref, and neither
 * may import the other.
 */
import { builder } from '../builder.js';
import type { District, Ward } from '../db/mappers.js';

export const DistrictRef = builder.objectRef<District>('District');
export const WardRef = builder.objectRef<Ward>('Ward');
