import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponse } from '@customer-pipeline/http-runtime';
import { OutageStateDto } from './outage-state.dto';
import { OutageSwitch } from './outage-switch.service';
import { SetOutageDto } from './set-outage.dto';

@ApiTags('admin')
@Controller('admin/outage')
export class OutageController {
  constructor(private readonly outage: OutageSwitch) {}

  @Get()
  @ApiOperation({
    summary: 'Whether the customers routes are down',
    description: 'The state of the outage switch; a timed outage reads as over once its for_ms has passed.',
  })
  @ApiOkResponse({ type: OutageStateDto, description: 'The state in force' })
  state(): OutageStateDto {
    return { down: this.outage.isDown };
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Take the customers routes down (503) or bring them back',
    description: 'A test switch. Health and admin routes keep answering while down.',
  })
  @ApiOkResponse({ type: OutageStateDto, description: 'The state now in force' })
  @ApiErrorResponse(400, 'The body is not a valid order, or nests too deeply', [
    'down must be a boolean value',
  ])
  set(@Body() body: SetOutageDto): OutageStateDto {
    this.outage.set(body.down, body.for_ms ?? undefined);
    return { down: this.outage.isDown };
  }
}
