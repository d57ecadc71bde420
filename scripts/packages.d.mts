/** The published packages, in dependency order (scripts/packages.mjs). */
export declare const PACKAGES: readonly string[];
