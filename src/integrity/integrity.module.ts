import { ClockSkewTrail } from './clock-skew-trail.js';
import { Module } from '@nestjs/common';
import { AuthModule } from '../tenancy/auth/auth.module.js';
import { EventsModule } from '../events/events.module.js';
import { CheckpointsService } from './checkpoints.service.js';
import { EvidenceService } from './evidence.service.js';
import { IntegrityWatchService } from './integrity-watch.service.js';
import { IntegrityController } from './integrity.controller.js';
import { IntegrityRepository } from './integrity.repository.js';
import { JwksController } from './jwks.controller.js';
import { VerifierAssetController } from './verifier-asset.controller.js';
import { KeyRingService } from './key-ring.service.js';
import { NoteKeyService } from './note-keys.service.js';
import { ProofService } from './proofs.service.js';
import { SealerService } from './sealer.service.js';
import { VerifierService } from './verifier.service.js';
import { MerkleLogLeaves } from './merkle-log-leaves.service.js';
import { MerkleLog } from './merkle-log.service.js';
import { RootLogRepository } from './root-log.repository.js';
import { RootLogService } from './root-log.service.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { PersonalDataModule } from '../personal-data/personal-data.module.js';

@Module({
  imports: [AuthModule, EventsModule, JobsModule, PersonalDataModule],
  controllers: [IntegrityController, JwksController, VerifierAssetController],
  providers: [IntegrityRepository, CheckpointsService, MerkleLog, MerkleLogLeaves, KeyRingService, NoteKeyService, SealerService, ProofService, EvidenceService, VerifierService, IntegrityWatchService, ClockSkewTrail, RootLogRepository, RootLogService],
  exports: [MerkleLog, SealerService, ProofService, EvidenceService, KeyRingService, NoteKeyService, RootLogService],
})
export class IntegrityModule {}
