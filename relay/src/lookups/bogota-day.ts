/** Daily limits reset at midnight in Bogotá; the calendar itself is the contract's, shared with the extension. */
export { bogotaDay as bogotaDate, nextBogotaMidnight, startOfBogotaDay } from '@lupa/contract/bogota-day';
