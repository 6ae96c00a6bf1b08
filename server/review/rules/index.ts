/** Every static rule, in the order they run. */
import type { StaticRule } from '../rule';
import { breakingChangeRule } from './breakingChange';
import { coChangeRule } from './coChange';
import { conflictMarkerRule } from './conflictMarker';
import { debugLeftoverRule } from './debugLeftover';
import { importCycleRule } from './importCycle';
import { secretRule } from './secret';

export const STATIC_RULES: readonly StaticRule[] = [breakingChangeRule, secretRule, debugLeftoverRule, conflictMarkerRule, coChangeRule, importCycleRule];
