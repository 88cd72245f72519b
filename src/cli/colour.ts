import pc from 'picocolors';

/**
 * Colour on a terminal or with FORCE_COLOR, plain text when piped. picocolors alone also
 * colours piped output whenever CI is set, which would put escape codes into saved reports.
 */
export const useColour = pc.isColorSupported && (Boolean(process.stdout.isTTY) || 'FORCE_COLOR' in process.env);

export const colour = pc.createColors(useColour);
